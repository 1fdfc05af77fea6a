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
