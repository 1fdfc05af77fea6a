using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Formats;
using MediaWorker.Plugins.Image.Processing;
using static MediaWorker.Plugins.Image.Tasks.ParameterSchemas;

namespace MediaWorker.Plugins.Image.Tasks;

/// <summary><c>image_resize</c>: fits an image into a box (contain, cover or fill), EXIF orientation applied first.</summary>
internal sealed class ImageResizeHandler(ImageRenderer renderer) : ITaskHandler
{
    private static readonly string[] FitNames = ["contain", "cover", "fill"];

    public static JsonObject Schema { get; } = WithSizeRule(Object(
        ["input_path"],
        ("input_path", FilePath("The image to resize: relative to COMPUTE_STORAGE_DIR or absolute under MEDIA_ALLOWED_ROOTS.")),
        ("output_path", FilePath("Where to write; default: the job's output folder, named after the input.")),
        ("width", Dimension("Target width in pixels.")),
        ("height", Dimension("Target height in pixels.")),
        ("fit", Choice("contain: inside the box, aspect kept; cover: fill the box, aspect kept, centre cropped; fill: exactly the box.", FitNames, "contain")),
        ("maintain_aspect_ratio", Boolean("The seed's flag: false means fit = fill.", true)),
        ("upscale", Boolean("Allow the result to be larger than the input.", false)),
        ("format", OutputFormat("Output format; default: output_path's extension, else the input's format.")),
        ("quality", Quality())));

    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "image_resize",
        Description = "Resizes an image to a width and/or height (fit contain, cover or fill), applying its EXIF orientation first.",
        ParameterSchema = Schema,
        DefaultTimeout = TimeSpan.FromMinutes(5),
    };

    public async Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var p = new JobParameters(job.Parameters, Schema);
        var width = p.OptionalInt("width", 1, MaxDimension);
        var height = p.OptionalInt("height", 1, MaxDimension);
        if (width is null && height is null)
        {
            throw new PermanentJobException("Give 'width', 'height' or both (whole numbers of pixels from 1 to 65535).");
        }

        var fit = Fit(p.OptionalChoice("fit", FitNames), p.OptionalBool("maintain_aspect_ratio"));
        var outputPath = p.OptionalString("output_path");
        using var input = InputFile.Open(job.Files, p.RequireString("input_path"));
        var request = new RenderRequest(
            outputPath, p.OutputFormat(), p.Quality(),
            new ResizeRequest(width, height, fit, p.OptionalBool("upscale") ?? false),
            StripMetadata: false, Suffix: string.Create(CultureInfo.InvariantCulture, $"_{width?.ToString(CultureInfo.InvariantCulture) ?? "auto"}x{height?.ToString(CultureInfo.InvariantCulture) ?? "auto"}"));
        var result = await renderer.RenderAsync(job, input, request, cancellationToken);
        return RenderOutput.ToJson(result);
    }

    private static FitMode Fit(string? fit, bool? maintainAspectRatio)
    {
        var mode = fit switch
        {
            "cover" => FitMode.Cover,
            "fill" => FitMode.Fill,
            "contain" => FitMode.Contain,
            _ => maintainAspectRatio == false ? FitMode.Fill : FitMode.Contain,
        };
        if (fit is not null && maintainAspectRatio is { } keep && keep == (mode == FitMode.Fill))
        {
            throw new PermanentJobException(
                $"fit '{fit}' contradicts maintain_aspect_ratio {(keep ? "true" : "false")}; give only fit (contain, cover or fill).");
        }

        return mode;
    }

    private static JsonObject WithSizeRule(JsonObject schema)
    {
        schema["anyOf"] = new JsonArray(
            new JsonObject { ["required"] = new JsonArray("width") },
            new JsonObject { ["required"] = new JsonArray("height") });
        return schema;
    }
}
