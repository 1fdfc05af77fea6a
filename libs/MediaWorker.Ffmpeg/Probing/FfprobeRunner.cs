using System.Text.Json;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Processes;
using MediaWorker.Ffmpeg.Running;

namespace MediaWorker.Ffmpeg.Probing;

/// <summary>Runs ffprobe on an input and returns its typed description.</summary>
/// <remarks>Thread-safe; one instance serves every job.</remarks>
/// <param name="paths">Where ffprobe is (see <see cref="FfmpegToolPaths.FromSettings"/>).</param>
public sealed class FfprobeRunner(FfmpegToolPaths paths)
{
    private const int MaxJsonBytes = 32 * 1024 * 1024;

    /// <summary>Where ffmpeg and ffprobe are.</summary>
    public FfmpegToolPaths Paths { get; } = paths ?? throw new ArgumentNullException(nameof(paths));

    /// <summary>The time limit of one probe, so a stalled network input cannot hang a job (default 60 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Probes the container and every stream.</summary>
    /// <param name="input">The file or allowed URL to probe.</param>
    /// <param name="cancellationToken">Kills ffprobe when it fires.</param>
    /// <returns>The typed description.</returns>
    /// <exception cref="FfmpegException">ffprobe cannot read the input (missing, not media, truncated); the message says why in one line.</exception>
    /// <exception cref="FileNotFoundException">ffprobe is not installed where <see cref="Paths"/> says.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; ffprobe has been killed.</exception>
    public async Task<MediaInfo> ProbeAsync(MediaInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var json = new MemoryStream();
        List<string> arguments =
        [
            "-hide_banner", "-loglevel", "error", "-print_format", "json", "-show_format", "-show_streams",
            .. input.Arguments(),
        ];
        var request = new ProcessRequest(Paths.Ffprobe, arguments)
        {
            Timeout = Timeout,
            StandardOutput = (stream, ct) => CopyBoundedAsync(stream, json, ct),
        };
        await ToolInvoker.RunAsync(request, "ffprobe", FfmpegToolPaths.FfprobeSetting, cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            return FfprobeJsonParser.Parse(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new FfmpegException($"ffprobe printed output that is not JSON for '{input}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The presentation times of the primary video stream's keyframes, in order, read from packet
    /// flags (the container is demuxed, nothing is decoded, so this is fast even for long files).
    /// </summary>
    /// <param name="input">The video.</param>
    /// <param name="cancellationToken">Kills ffprobe when it fires.</param>
    /// <returns>Keyframe times in ascending order; empty when the input has no video.</returns>
    /// <exception cref="FfmpegException">ffprobe cannot read the input.</exception>
    public async Task<IReadOnlyList<TimeSpan>> ReadKeyframeTimesAsync(MediaInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var times = new List<TimeSpan>();
        await ReadPacketsAsync(input, "v:0", "pts_time,flags", fields =>
        {
            // "12.345000,K__": the time, then flags where K marks a keyframe.
            if (fields.Length >= 2 && fields[1].Contains('K', StringComparison.Ordinal) && ParseSeconds(fields[0]) is { } time && time >= TimeSpan.Zero)
            {
                times.Add(time);
            }
        }, cancellationToken);

        // Packets arrive in decoding order; B-frames aside, keyframes rarely reorder, but sort to be sure.
        times.Sort();
        return times;
    }

    /// <summary>
    /// How long a stream really lasts, measured from its packets: from the start of the first to the
    /// end of the last. Unlike the container's duration this is never an estimate: a raw ADTS AAC
    /// file has no duration field, and ffprobe's guess from the opening bit rate can be off by many seconds.
    /// </summary>
    /// <param name="input">The file (demuxed only, nothing is decoded).</param>
    /// <param name="streamSpecifier">Which stream, e.g. <c>a:0</c>.</param>
    /// <param name="cancellationToken">Kills ffprobe when it fires.</param>
    /// <returns>The duration, or <see langword="null"/> when the stream has no timed packets.</returns>
    /// <exception cref="FfmpegException">ffprobe cannot read the input.</exception>
    public async Task<TimeSpan?> MeasureStreamDurationAsync(MediaInput input, string streamSpecifier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(streamSpecifier);
        TimeSpan? first = null;
        TimeSpan? last = null;
        await ReadPacketsAsync(input, streamSpecifier, "pts_time,duration_time", fields =>
        {
            if (fields.Length >= 2 && ParseSeconds(fields[0]) is { } pts)
            {
                var end = pts + (ParseSeconds(fields[1]) ?? TimeSpan.Zero);
                first = first is { } f && f <= pts ? f : pts;
                last = last is { } l && l >= end ? l : end;
            }
        }, cancellationToken);
        return first is { } start && last is { } stop ? stop - start : null;
    }

    private async Task ReadPacketsAsync(MediaInput input, string streamSpecifier, string entries, Action<string[]> onPacket, CancellationToken cancellationToken)
    {
        List<string> arguments =
        [
            "-hide_banner", "-loglevel", "error", "-select_streams", streamSpecifier,
            "-show_entries", "packet=" + entries, "-print_format", "csv=print_section=0",
            .. input.Arguments(),
        ];
        var request = new ProcessRequest(Paths.Ffprobe, arguments)
        {
            Timeout = Timeout,
            StandardOutput = (stream, _) => StreamLines.ReadAsync(stream, line => onPacket(line.Split(','))),
        };
        await ToolInvoker.RunAsync(request, "ffprobe", FfmpegToolPaths.FfprobeSetting, cancellationToken);
    }

    private static TimeSpan? ParseSeconds(string value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;

    private static async Task CopyBoundedAsync(Stream source, MemoryStream target, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (target.Length + read > MaxJsonBytes)
            {
                throw new FfmpegException($"ffprobe's description is larger than {MaxJsonBytes / (1024 * 1024)} MiB; the input has too many streams or tags to probe.");
            }

            target.Write(buffer, 0, read);
        }
    }
}
