using System.Globalization;
using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Diagnostics;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Formats;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>
/// Renders the seed's video thumbnail: a 4x4 grid of keyframes (<c>-skip_frame nokey</c>, so only
/// keyframes are decoded), spread over the whole video rather than the first sixteen, each tile
/// scaled to fit a quarter of the box and never enlarged. A video with fewer keyframes leaves the last
/// tiles black, as the seed's did.
/// </summary>
internal sealed class VideoGrid(FfmpegRunner ffmpeg, FfprobeRunner ffprobe)
{
    public const int Columns = 4;
    public const int Rows = 4;

    /// <summary>Writes the grid as PNG to <paramref name="pngPath"/>; returns its size.</summary>
    public async Task<(int Width, int Height)> RenderAsync(InputFile input, int boxWidth, int boxHeight, string pngPath, IProgress<int> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var container = input.Sniffed.Kind == ContentKind.Video ? input.Sniffed.Container! : throw new ArgumentException("Not a video.", nameof(input));
        var media = MediaInput.FromFile(input.Path);
        MediaInfo info;
        try
        {
            info = await ffprobe.ProbeAsync(media, cancellationToken);
        }
        catch (FfmpegException ex)
        {
            throw Outcome(ex, $"{input} looks like {input.Sniffed.Description} but cannot be read: {ex.Message}");
        }
        catch (FileNotFoundException ex)
        {
            // A worker without ffmpeg still serves images; a video thumbnail on it fails once, saying why.
            throw new PermanentJobException($"{input} is a video, and video thumbnails need ffmpeg: {ex.Message}", ex);
        }

        var video = info.PrimaryVideo;
        if (video?.DisplayWidth is not { } width || video.DisplayHeight is not { } height || width <= 0 || height <= 0)
        {
            throw new PermanentJobException($"{input} has no video stream to take keyframes from.");
        }

        var (tileWidth, tileHeight) = TileSize(width, height, boxWidth, boxHeight);
        var spacing = info.Duration is { } duration && duration > TimeSpan.Zero
            ? duration.TotalSeconds / (Columns * Rows)
            : 0;
        var filter = string.Create(CultureInfo.InvariantCulture,
            $"select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,{spacing:0.######})',scale={tileWidth}:{tileHeight},tile={Columns}x{Rows}");
        // -f names the demuxer the content sniffer recognised, so no other demuxer (HLS, concat) is ever tried.
        List<string> arguments =
        [
            .. media.Arguments("-f", container, "-skip_frame", "nokey"),
            "-an", "-sn", "-dn", "-vf", filter, "-frames:v", "1", "-fps_mode", "vfr", "-f", "image2", "-c:v", "png", pngPath,
        ];
        try
        {
            await ffmpeg.RunAsync(arguments, new FfmpegRunOptions { Duration = info.Duration, Progress = progress }, cancellationToken);
        }
        catch (FfmpegException ex)
        {
            throw Outcome(ex, $"{input}: ffmpeg could not render the keyframe grid: {ex.Message}");
        }

        if (!File.Exists(pngPath))
        {
            throw new PermanentJobException($"{input} has no decodable keyframe; the video may be damaged.");
        }

        return (tileWidth * Columns, tileHeight * Rows);
    }

    // A damaged video is a bad request; a full disk, memory pressure or the time limit may pass.
    private static Exception Outcome(FfmpegException failure, string message) =>
        FfmpegFailureClassifier.IsPassing(failure) ? new RetryableJobException(message, failure) : new PermanentJobException(message, failure);

    /// <summary>The tile size: the video's aspect inside a quarter of the box, at most the video's own size.</summary>
    internal static (int Width, int Height) TileSize(int videoWidth, int videoHeight, int boxWidth, int boxHeight)
    {
        var plan = ResizePlan.For(videoWidth, videoHeight, Math.Max(1, boxWidth / Columns), Math.Max(1, boxHeight / Rows), FitMode.Contain, upscale: false);
        return (plan.Width, plan.Height);
    }
}
