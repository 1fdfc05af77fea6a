using System.Globalization;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;

namespace MediaWorker.Ffmpeg.Scenes;

/// <summary>
/// Finds hard cuts and returns scenes that cover the whole video. Two metrics (see
/// <see cref="SceneMetric"/>): colour (the default), which compares hue, saturation and value like
/// PySceneDetect's content detector, and luma, ffmpeg's own scene score. Used by the Video plugin's
/// <c>scene_detect</c> and <c>keyframes</c> (mode scenes) and by the Gemini plugin's <c>highlight_detect</c>.
/// </summary>
/// <remarks>
/// Frames are scaled down before scoring, since both scores are means of per-pixel differences,
/// nearly independent of size: to at most 480 pixels wide for luma, to 160x90 RGB for colour (the
/// frames cross a pipe and are scored here). Thread-safe.
/// </remarks>
/// <param name="ffmpeg">Runs ffmpeg.</param>
/// <param name="ffprobe">Probes the duration.</param>
public sealed class SceneDetector(FfmpegRunner ffmpeg, FfprobeRunner ffprobe)
{
    private const int ColourWidth = 160;
    private const int ColourHeight = 90;

    /// <summary>Finds the scenes of <paramref name="input"/> by colour (<see cref="SceneMetric.Colour"/>).</summary>
    /// <param name="input">The video.</param>
    /// <param name="threshold">How different consecutive frames must be to count as a cut, 0-1 (0.3 suits most footage).</param>
    /// <param name="minSceneSeconds">The shortest scene to keep (0 keeps every cut); shorter ones merge into the scene before.</param>
    /// <param name="progress">Receives 0-100 while frames are scored; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Kills ffmpeg when it fires.</param>
    /// <returns>At least one scene, in order, the first starting at 0 and the last ending at the video's duration.</returns>
    /// <exception cref="FfmpegException">The input cannot be read, has no video stream or no known duration.</exception>
    public Task<IReadOnlyList<Scene>> DetectAsync(
        MediaInput input, double threshold = 0.3, double minSceneSeconds = 0, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        DetectAsync(input, SceneMetric.Colour, threshold, minSceneSeconds, progress, cancellationToken);

    /// <summary>Finds the scenes of <paramref name="input"/>, comparing frames by <paramref name="metric"/>.</summary>
    /// <param name="input">The video.</param>
    /// <param name="metric">How consecutive frames are compared.</param>
    /// <param name="threshold">How different consecutive frames must be to count as a cut, 0-1 (0.3 suits most footage with either metric).</param>
    /// <param name="minSceneSeconds">The shortest scene to keep (0 keeps every cut); shorter ones merge into the scene before.</param>
    /// <param name="progress">Receives 0-100 while frames are scored; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Kills ffmpeg when it fires.</param>
    /// <returns>At least one scene, in order, the first starting at 0 and the last ending at the video's duration.</returns>
    /// <exception cref="FfmpegException">The input cannot be read, has no video stream or no known duration.</exception>
    public async Task<IReadOnlyList<Scene>> DetectAsync(
        MediaInput input, SceneMetric metric, double threshold, double minSceneSeconds, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(minSceneSeconds);
        var info = await ffprobe.ProbeAsync(input, cancellationToken);
        var duration = MediaRequirements.RequireVideo(info, input).Duration;
        var cuts = metric == SceneMetric.Luma
            ? await LumaCutsAsync(input, threshold, duration, progress, cancellationToken)
            : await ColourCutsAsync(input, threshold, duration, progress, cancellationToken);
        return SceneBuilder.Build(cuts, duration, TimeSpan.FromSeconds(minSceneSeconds));
    }

    private async Task<IReadOnlyList<SceneCut>> LumaCutsAsync(MediaInput input, double threshold, TimeSpan duration, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var parser = new SceneCutParser();
        var filter = string.Create(
            CultureInfo.InvariantCulture,
            $"scale=w='min(iw,480)':h=-2:flags=fast_bilinear,select='gt(scene,{threshold:0.######})',metadata=print:file='pipe\\:1'");
        List<string> arguments =
        [
            .. input.Arguments(),
            "-map", "0:v:0", "-an", "-sn", "-dn",
            "-vf", filter, "-fps_mode", "passthrough", "-f", "null", "-",
        ];
        await ffmpeg.RunAsync(
            arguments,
            new FfmpegRunOptions { Duration = duration, Progress = progress, StandardOutput = (stream, _) => StreamLines.ReadAsync(stream, parser.OnLine) },
            cancellationToken);
        return parser.Cuts;
    }

    private async Task<IReadOnlyList<SceneCut>> ColourCutsAsync(MediaInput input, double threshold, TimeSpan duration, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        // Raw frames on standard output, each frame's time on standard error, in the same order.
        var times = new FrameTimes();
        var scores = new List<double>();
        var difference = new HsvFrameDifference(ColourWidth * ColourHeight);
        var filter = string.Create(
            CultureInfo.InvariantCulture,
            $"scale={ColourWidth}:{ColourHeight}:flags=fast_bilinear,format=rgb24,metadata=add:key=mw.frame:value=1,metadata=print:file='pipe\\:2'");
        List<string> arguments =
        [
            .. input.Arguments(),
            "-map", "0:v:0", "-an", "-sn", "-dn",
            "-vf", filter, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
        ];
        await ffmpeg.RunAsync(
            arguments,
            new FfmpegRunOptions
            {
                Duration = duration,
                Progress = progress,
                StandardOutput = async (stream, ct) =>
                {
                    var frame = new byte[ColourWidth * ColourHeight * 3];
                    while (await stream.ReadAtLeastAsync(frame, frame.Length, throwOnEndOfStream: false, ct) == frame.Length)
                    {
                        scores.Add(difference.Next(frame));
                    }
                },
                StandardErrorLine = line =>
                {
                    times.OnLine(line);
                    return FrameTimes.IsFrameLine(line);
                },
            },
            cancellationToken);
        var frameTimes = times.Times;
        return [.. Enumerable.Range(1, Math.Max(0, Math.Min(scores.Count, frameTimes.Count) - 1))
            .Where(i => scores[i] > threshold)
            .Select(i => new SceneCut(frameTimes[i], scores[i]))];
    }
}
