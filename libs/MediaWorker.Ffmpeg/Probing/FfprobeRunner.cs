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
        List<string> arguments =
        [
            "-hide_banner", "-loglevel", "error", "-select_streams", "v:0",
            "-show_entries", "packet=pts_time,flags", "-print_format", "csv=print_section=0",
            .. input.Arguments(),
        ];
        var request = new ProcessRequest(Paths.Ffprobe, arguments)
        {
            Timeout = Timeout,
            StandardOutput = (stream, _) => StreamLines.ReadAsync(stream, line =>
            {
                // "12.345000,K__": the time, then flags where K marks a keyframe.
                var comma = line.IndexOf(',', StringComparison.Ordinal);
                if (comma > 0 && line.AsSpan(comma + 1).Contains('K')
                    && double.TryParse(line.AsSpan(0, comma), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                    && seconds >= 0)
                {
                    times.Add(TimeSpan.FromSeconds(seconds));
                }
            }),
        };
        await ToolInvoker.RunAsync(request, "ffprobe", FfmpegToolPaths.FfprobeSetting, cancellationToken);

        // Packets arrive in decoding order; B-frames aside, keyframes rarely reorder, but sort to be sure.
        times.Sort();
        return times;
    }

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
