using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Formats;
using MediaWorker.Plugins.Image.Processing;
using static MediaWorker.Plugins.Image.Tasks.ParameterSchemas;

namespace MediaWorker.Plugins.Image.Tasks;

/// <summary>
/// <c>media_thumbnail</c>: a small upright image without metadata; for a video, the seed's 4x4 grid of
/// keyframes.
/// </summary>
internal sealed class MediaThumbnailHandler(ImageRenderer renderer, VideoGrid videoGrid) : ITaskHandler
{
    public const int DefaultSize = 256;

    public static JsonObject Schema { get; } = Object(
        ["input_path"],
        ("input_path", FilePath("An image or a video: relative to COMPUTE_STORAGE_DIR or absolute under MEDIA_ALLOWED_ROOTS.")),
        ("output_path", FilePath("Where to write; default: the job's output folder, <input name>_thumb.<ext>.")),
        ("width", Dimension("The box's width; the thumbnail fits inside and is never larger than the input.", DefaultSize)),
        ("height", Dimension("The box's height.", DefaultSize)),
        ("format", OutputFormat("Output format; default: output_path's extension, else jpg.")),
        ("quality", Quality()));

    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "media_thumbnail",
        Description = "Makes a thumbnail (default 256x256 box, never upscaled, upright, metadata stripped); for videos a 4x4 grid of keyframes.",
        ParameterSchema = Schema,
        DefaultTimeout = TimeSpan.FromMinutes(10),
    };

    public async Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var p = new JobParameters(job.Parameters, Schema);
        var width = p.OptionalInt("width", 1, MaxDimension) ?? DefaultSize;
        var height = p.OptionalInt("height", 1, MaxDimension) ?? DefaultSize;
        var outputPath = p.OptionalString("output_path");
        var format = p.OutputFormat() ?? (outputPath is not null && ImageFormat.FromName(Path.GetExtension(outputPath)) is not null ? null : "jpg");
        var quality = p.Quality();
        using var input = InputFile.Open(job.Files, p.RequireString("input_path"));
        if (input.Sniffed.Kind == ContentKind.Video)
        {
            return await VideoAsync(job, input, new RenderRequest(outputPath, format, quality, null, StripMetadata: true, Suffix: "_thumb"), width, height, cancellationToken);
        }

        if (input.Sniffed.Kind == ContentKind.Refused)
        {
            throw new PermanentJobException(
                $"{input} is not an image in an allowed format nor a video: its content is {input.Sniffed.Description} (judged by its bytes, not its name). "
                + "Images: JPEG, PNG, WEBP, GIF, BMP, TIFF, HEIC, AVIF; videos: MP4/MOV, Matroska/WebM, AVI, MPEG-TS/PS, FLV.");
        }

        var request = new RenderRequest(outputPath, format, quality, new ResizeRequest(width, height, FitMode.Contain, Upscale: false), StripMetadata: true, Suffix: "_thumb");
        var result = await renderer.RenderAsync(job, input, request, cancellationToken);
        var output = RenderOutput.ToJson(result);
        output["source"] = "image";
        return output;
    }

    private async Task<JsonObject> VideoAsync(IJobContext job, InputFile video, RenderRequest request, int width, int height, CancellationToken cancellationToken)
    {
        // ffmpeg renders the grid losslessly into scratch; the image path then encodes it like any thumbnail.
        var gridPath = Path.Combine(job.Files.ScratchDirectory, "grid.png");
        await videoGrid.RenderAsync(video, width, height, gridPath, new ScaledProgress(job.Progress, 0, 80), cancellationToken);
        using var grid = InputFile.Open(job.Files, gridPath);
        var result = await renderer.RenderAsync(job, grid, request with { NamedAfter = video.Path }, cancellationToken, new ScaledProgress(job.Progress, 80, 100));
        var output = RenderOutput.ToJson(result);
        output["source"] = "video";
        output["grid"] = $"{VideoGrid.Columns}x{VideoGrid.Rows}";
        return output;
    }
}
