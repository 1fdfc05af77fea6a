using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;

namespace MediaWorker.Ffmpeg.Audio;

/// <summary>
/// Measures an audio track's loudness over time in one ffmpeg pass: the audio is cut into 100 ms
/// windows (<c>asetnsamples</c>), each measured by <c>astats</c> (RMS and peak level) and
/// <c>ebur128</c> (momentary and integrated loudness), and the per-window values are printed by
/// <c>ametadata</c> to standard output. Used by the Gemini plugin's rules-based highlight scoring.
/// </summary>
/// <remarks>Thread-safe.</remarks>
/// <param name="ffmpeg">Runs ffmpeg.</param>
/// <param name="ffprobe">Probes the duration (for progress) and checks there is audio.</param>
public sealed class LoudnessAnalyzer(FfmpegRunner ffmpeg, FfprobeRunner ffprobe)
{
    /// <summary>The length of every window.</summary>
    public static TimeSpan WindowLength { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Measures the primary audio stream of <paramref name="input"/>.</summary>
    /// <param name="input">A video or audio file.</param>
    /// <param name="progress">Receives 0-100; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Kills ffmpeg when it fires.</param>
    /// <returns>One window per 100 ms of audio.</returns>
    /// <exception cref="FfmpegException">The input cannot be read or has no audio stream.</exception>
    public async Task<LoudnessProfile> AnalyzeAsync(MediaInput input, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var info = await ffprobe.ProbeAsync(input, cancellationToken);
        var duration = MediaRequirements.RequireAudio(info, input).Duration;
        var parser = new LoudnessMetadataParser();
        // 4800 samples at 48 kHz make a 100 ms window; reset=1 makes astats measure each window alone.
        const string filter =
            "aresample=48000,asetnsamples=n=4800:p=0,"
            + "astats=metadata=1:reset=1:measure_perchannel=none:measure_overall=RMS_level+Peak_level,"
            + "ebur128=metadata=1,ametadata=mode=print:file='pipe\\:1'";
        List<string> arguments = [.. input.Arguments(), "-map", "0:a:0", "-vn", "-sn", "-dn", "-af", filter, "-f", "null", "-"];
        await ffmpeg.RunAsync(
            arguments,
            new FfmpegRunOptions { Duration = duration, Progress = progress, StandardOutput = (stream, _) => StreamLines.ReadAsync(stream, parser.OnLine) },
            cancellationToken);
        return new LoudnessProfile(WindowLength, parser.Windows, parser.IntegratedLufs);
    }
}
