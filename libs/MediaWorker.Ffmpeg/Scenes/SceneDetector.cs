using System.Globalization;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;

namespace MediaWorker.Ffmpeg.Scenes;

/// <summary>
/// Finds hard cuts with ffmpeg's scene score (<c>select='gt(scene,T)'</c>) and returns scenes that
/// cover the whole video. Used by the Video plugin's <c>scene_detect</c> and <c>keyframes</c> (mode
/// scenes) and by the Gemini plugin's <c>highlight_detect</c>.
/// </summary>
/// <remarks>
/// Frames are scaled down to at most 480 pixels wide before scoring: the score is a mean absolute
/// difference, nearly independent of size, and decoding plus scoring 1080p at full size costs
/// several times as much. Thread-safe.
/// </remarks>
/// <param name="ffmpeg">Runs ffmpeg.</param>
/// <param name="ffprobe">Probes the duration.</param>
public sealed class SceneDetector(FfmpegRunner ffmpeg, FfprobeRunner ffprobe)
{
    /// <summary>Finds the scenes of <paramref name="input"/>.</summary>
    /// <param name="input">The video.</param>
    /// <param name="threshold">How different consecutive frames must be to count as a cut, 0-1 (0.3 suits most footage).</param>
    /// <param name="minSceneSeconds">The shortest scene to keep (0 keeps every cut); shorter ones merge into the scene before.</param>
    /// <param name="progress">Receives 0-100 while frames are scored; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Kills ffmpeg when it fires.</param>
    /// <returns>At least one scene, in order, the first starting at 0 and the last ending at the video's duration.</returns>
    /// <exception cref="FfmpegException">The input cannot be read, has no video stream or no known duration.</exception>
    public async Task<IReadOnlyList<Scene>> DetectAsync(
        MediaInput input, double threshold = 0.3, double minSceneSeconds = 0, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(minSceneSeconds);
        var info = await ffprobe.ProbeAsync(input, cancellationToken);
        var duration = MediaRequirements.RequireVideo(info, input).Duration;
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
        return SceneBuilder.Build(parser.Cuts, duration, TimeSpan.FromSeconds(minSceneSeconds));
    }
}
