using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Speech.Transcripts;

namespace MediaWorker.Plugins.Speech.Tasks;

/// <summary>
/// <c>transcribe</c>: speech of any audio or video file to text with segment and word timestamps,
/// returned as the job's output and written as transcript.json, .srt and .vtt.
/// </summary>
internal sealed class TranscribeHandler(InputTranscription transcription) : ITaskHandler
{
    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "transcribe",
        Description = "Transcribes the speech of an audio or video file with whisper.cpp: text, segments and word timestamps, plus transcript.json, .srt and .vtt files.",
        ParameterSchema = Schema(),
        DefaultTimeout = TimeSpan.FromHours(2),
    };

    public async Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var inputPath = SpeechParameters.String(job.Parameters, "input_path") ?? throw SpeechParameters.Invalid("input_path", "is required");
        var request = TranscribeRequest.Parse(job.Parameters);

        var transcript = await transcription.TranscribeAsync(job, inputPath, request, cancellationToken);
        var files = await TranscriptFiles.WriteAsync(transcript, job.Files.OutputDirectory, job.Files.ScratchDirectory, cancellationToken);
        job.Progress.Report(100);

        var output = TranscriptJson.ToJson(transcript);
        output["transcript_path"] = files.JsonPath;
        output["srt_path"] = files.SrtPath;
        output["vtt_path"] = files.VttPath;
        return output;
    }

    private static JsonObject Schema()
    {
        var properties = TranscribeRequest.SchemaProperties();
        properties.Insert(0, "input_path", new JsonObject
        {
            ["type"] = "string",
            ["minLength"] = 1,
            ["maxLength"] = 4096,
            ["description"] = "The audio or video file: a path relative to the compute storage folder, or absolute under MEDIA_ALLOWED_ROOTS.",
        });
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray("input_path"),
            ["additionalProperties"] = false,
        };
    }
}
