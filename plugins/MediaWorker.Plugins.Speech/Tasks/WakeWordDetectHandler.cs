using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Speech.Transcripts;
using MediaWorker.Plugins.Speech.WakeWords;

namespace MediaWorker.Plugins.Speech.Tasks;

/// <summary>
/// <c>wake_word_detect</c>: finds wake-word phrases in speech by fuzzy matching over the transcript's
/// words, and optionally enqueues a <c>clip_extract</c> follow-up job around each match.
/// </summary>
internal sealed class WakeWordDetectHandler(InputTranscription transcription) : ITaskHandler
{
    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "wake_word_detect",
        Description = "Finds wake-word phrases in an audio/video file (transcribed with whisper.cpp) or in an earlier transcript.json, by fuzzy word matching; can enqueue a clip_extract job per match.",
        ParameterSchema = WakeWordRequest.Schema(),
        DefaultTimeout = TimeSpan.FromHours(2),
    };

    public async Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var request = WakeWordRequest.Parse(job.Parameters);
        var output = new JsonObject();

        Transcript transcript;
        if (request.TranscriptPath is { } transcriptPath)
        {
            var path = job.Files.ResolveInput(transcriptPath, "transcript_path");
            transcript = await TranscriptJson.ReadAsync(path, transcriptPath, "transcript_path", cancellationToken);
            if (request.InputPath is { } clipSource)
            {
                job.Files.ResolveInput(clipSource, "input_path"); // the clips' source must exist and be allowed
            }
        }
        else
        {
            // A transcript made here is kept, so a later job can search it for other phrases.
            transcript = await transcription.TranscribeAsync(job, request.InputPath!, request.Transcription, cancellationToken);
            var files = await TranscriptFiles.WriteAsync(transcript, job.Files.OutputDirectory, job.Files.ScratchDirectory, cancellationToken);
            output["transcript_path"] = files.JsonPath;
        }

        var matches = WakeWordMatcher.Find(TimedWord.From(transcript), request.WakeWords, request.MinSimilarity);
        output["matches"] = new JsonArray([.. matches.Select(m => (JsonNode)new JsonObject
        {
            ["wake_word"] = m.WakeWord,
            ["matched_text"] = m.MatchedText,
            ["start"] = Seconds(m.Start),
            ["end"] = Seconds(m.End),
            ["similarity"] = Math.Round(m.Similarity, 3),
        })]);

        var clipJobIds = new JsonArray();
        if (request.Clip is { } clip)
        {
            var clips = new JsonArray();
            foreach (var match in matches)
            {
                var start = Seconds(Math.Max(0, match.Start - clip.PreSeconds));
                var end = Seconds(transcript.Duration > 0 ? Math.Min(transcript.Duration, match.End + clip.PostSeconds) : match.End + clip.PostSeconds);
                clips.Add(new JsonObject { ["start"] = start, ["end"] = end });
                if (clip.Enqueue)
                {
                    var parameters = new JsonObject { ["input_path"] = request.InputPath, ["start"] = start, ["end"] = end };
                    clipJobIds.Add(job.FollowUps.Enqueue(new FollowUpJob("clip_extract", parameters)));
                }
            }

            output["clips"] = clips;
        }

        output["clip_job_ids"] = clipJobIds;
        job.Progress.Report(100);
        return output;
    }

    private static double Seconds(double value) => Math.Round(value, 3, MidpointRounding.AwayFromZero);
}
