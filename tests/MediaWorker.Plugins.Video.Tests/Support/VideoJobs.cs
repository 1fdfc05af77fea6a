using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;
using MediaWorker.Testing;

namespace MediaWorker.Plugins.Video.Tests.Support;

/// <summary>Runs a video handler in-process on the shared sandbox root, like the daemon would.</summary>
public static class VideoJobs
{
    internal static VideoServices Services(string? allowedUrls = null) =>
        new(FfmpegToolPaths.Default, UrlAllowList.Parse(allowedUrls), threadsPerJob: 2);

    public static TestJobContext Context(string taskType, JsonObject parameters) => new(VideoTestSetUp.Root, taskType, parameters);

    public static async Task<(JsonObject Output, TestJobContext Context)> RunAsync(ITaskHandler handler, JsonObject parameters, CancellationToken cancellationToken = default)
    {
        var context = Context(handler.Descriptor.TaskType, parameters);
        var output = await TestJobContext.RunAsync(handler, context, cancellationToken);
        return (output, context);
    }

    /// <summary>Probes a file the job wrote.</summary>
    public static Task<MediaInfo> ProbeAsync(string path) =>
        new FfprobeRunner(FfmpegToolPaths.Default).ProbeAsync(MediaInput.FromFile(path), CancellationToken.None);

    /// <summary>The average colour of an image (or of a video's first frame), decoded by ffmpeg.</summary>
    public static async Task<(int R, int G, int B)> AverageColourAsync(string path)
    {
        var rgb = new MemoryStream();
        await new FfmpegRunner(FfmpegToolPaths.Default).RunAsync(
            [.. MediaInput.FromFile(path).Arguments(), "-frames:v", "1", "-vf", "scale=1:1:flags=area", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
            new FfmpegRunOptions { StandardOutput = (s, ct) => s.CopyToAsync(rgb, ct) },
            CancellationToken.None);
        var bytes = rgb.ToArray();
        return (bytes[0], bytes[1], bytes[2]);
    }

    /// <summary>Names the dominant colour of the test clips' scenes.</summary>
    public static string ColourName((int R, int G, int B) c) => c switch
    {
        { R: > 200, G: > 200, B: > 200 } => "white",
        { R: > 150, G: < 80, B: < 80 } => "red",
        { R: < 80, G: < 80, B: > 150 } => "blue",
        { R: < 80, G: > 80, B: < 80 } => "green",
        _ => $"rgb({c.R},{c.G},{c.B})",
    };
}
