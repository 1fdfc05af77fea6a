using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary><c>video_probe</c>: the container and streams of a video or audio input, typed.</summary>
internal sealed class VideoProbeHandler(VideoServices services) : VideoTaskHandler(services)
{
    public override TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "video_probe",
        Description = "Reads a video's or audio file's metadata with ffprobe: duration, format, bit rate and every stream (codec, size, frame rate, rotation, channels, sample rate).",
        ParameterSchema = ParameterSchema.Object([ParameterSchema.InputPath()], "input_path"),
        DefaultTimeout = TimeSpan.FromMinutes(2),
    };

    protected override async Task<JsonObject> RunAsync(VideoJob job, CancellationToken cancellationToken)
    {
        var info = await Services.Ffprobe.ProbeAsync(job.Input, cancellationToken);
        var output = MediaInfoJson.From(info);
        output["input_path"] = job.Input.DisplayName;
        job.Context.Progress.Report(100);
        return output;
    }
}
