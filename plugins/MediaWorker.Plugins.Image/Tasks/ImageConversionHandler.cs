using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Formats;
using MediaWorker.Plugins.Image.Processing;
using static MediaWorker.Plugins.Image.Tasks.ParameterSchemas;

namespace MediaWorker.Plugins.Image.Tasks;

/// <summary><c>image_conversion</c>: re-encodes an image in another format, keeping its size.</summary>
internal sealed class ImageConversionHandler(ImageRenderer renderer) : ITaskHandler
{
    public static JsonObject Schema { get; } = Object(
        ["input_path", "format"],
        ("input_path", FilePath("The image to convert: relative to COMPUTE_STORAGE_DIR or absolute under MEDIA_ALLOWED_ROOTS.")),
        ("output_path", FilePath("Where to write; default: the job's output folder, named after the input.")),
        ("format", OutputFormat("The output format. Alpha is flattened onto white for JPEG; animation is kept for GIF, WebP and TIFF.")),
        ("quality", Quality()));

    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "image_conversion",
        Description = "Converts an image to png, jpg, webp, gif, bmp or tiff (avif/heic where the installed encoders allow), keeping animation where the target can.",
        ParameterSchema = Schema,
        DefaultTimeout = TimeSpan.FromMinutes(5),
    };

    public async Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var p = new JobParameters(job.Parameters, Schema);
        var format = p.OutputFormat();
        var quality = p.Quality();
        using var input = InputFile.Open(job.Files, p.RequireString("input_path"));
        var request = new RenderRequest(p.OptionalString("output_path"), format, quality, Resize: null, StripMetadata: false, Suffix: string.Empty);
        var result = await renderer.RenderAsync(job, input, request, cancellationToken);
        return RenderOutput.ToJson(result);
    }
}
