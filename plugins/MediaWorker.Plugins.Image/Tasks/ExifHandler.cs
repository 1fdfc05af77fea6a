using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Processing;
using static MediaWorker.Plugins.Image.Tasks.ParameterSchemas;

namespace MediaWorker.Plugins.Image.Tasks;

/// <summary><c>exif</c>: reads an image's metadata from its headers (no pixels are decoded).</summary>
internal sealed class ExifHandler(ImageLoader loader) : ITaskHandler
{
    public static JsonObject Schema { get; } = Object(
        ["input_path"],
        ("input_path", FilePath("The image: relative to COMPUTE_STORAGE_DIR or absolute under MEDIA_ALLOWED_ROOTS.")),
        ("tags", new JsonObject
        {
            ["type"] = "array",
            ["items"] = Choice("A section of the output.", ExifSummary.Sections),
            ["maxItems"] = ExifSummary.Sections.Count,
            ["description"] = "The sections to return; empty or absent returns all.",
        }));

    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "exif",
        Description = "Reads EXIF metadata: make, model, capture time, dimensions, orientation, ISO, exposure, GPS in decimal degrees, and the raw tags.",
        ParameterSchema = Schema,
        DefaultTimeout = TimeSpan.FromMinutes(1),
    };

    public async Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var p = new JobParameters(job.Parameters, Schema);
        var sections = p.OptionalChoices("tags", ExifSummary.Sections);
        using var input = InputFile.Open(job.Files, p.RequireString("input_path"));
        var result = await NativeWork.RunAsync(
            () =>
            {
                var header = loader.Ping(input, withExif: true);
                var summary = ExifSummary.Build(header.Properties, header.Width, header.Height, header.Orientation, sections);
                summary["format"] = header.Format.Name;
                return summary;
            },
            cancellationToken);
        result["path"] = input.Path;
        result["files"] = new JsonArray(); // reads only
        return result;
    }
}
