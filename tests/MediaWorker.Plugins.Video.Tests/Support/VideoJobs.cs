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

    /// <summary>The mean luma of every frame of a video, in order (one byte per frame, decoded by ffmpeg).</summary>
    public static async Task<byte[]> FrameLumaAsync(string path)
    {
        var luma = new MemoryStream();
        await new FfmpegRunner(FfmpegToolPaths.Default).RunAsync(
            [.. MediaInput.FromFile(path).Arguments(), "-map", "0:v:0", "-vf", "scale=1:1:flags=area,format=gray", "-fps_mode", "passthrough", "-f", "rawvideo", "pipe:1"],
            new FfmpegRunOptions { StandardOutput = (s, ct) => s.CopyToAsync(luma, ct) },
            CancellationToken.None);
        return luma.ToArray();
    }

    /// <summary>
    /// Makes a 2 s, 25 fps clip whose frame N has luma 16 + 4N (video only, a keyframe every
    /// second), so a decoded frame tells which source frame it is.
    /// </summary>
    public static async Task<string> NumberedFramesClipAsync(string folder)
    {
        var path = Path.Combine(folder, "numbered.mp4");
        Directory.CreateDirectory(folder);
        await new FfmpegRunner(FfmpegToolPaths.Default).RunAsync(
            [
                "-f", "lavfi", "-i", "nullsrc=s=64x64:r=25:d=2", "-vf", "format=yuv420p,geq=lum='16+4*N':cb=128:cr=128",
                "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-g", "25", "-pix_fmt", "yuv420p", path,
            ],
            null,
            CancellationToken.None);
        return path;
    }

    /// <summary>Which source frame of <see cref="NumberedFramesClipAsync"/> a luma value is (gray is full range: 16-235 becomes 0-255).</summary>
    public static int FrameNumber(byte luma) => (int)Math.Round(luma * 219.0 / 255.0 / 4.0);

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
