using System.Text.Json.Nodes;
using MediaWorker.ComputeService.Forms;

namespace MediaWorker.ComputeService.Tasks;

/// <summary>
/// <c>image_conversion</c>: <c>format</c> (required) and <c>quality</c> (1-100, default 85); the
/// output is the seed's <c>output/converted_&lt;stem&gt;.&lt;ext&gt;</c> (jpeg written as .jpg).
/// </summary>
public sealed class ImageConversionForm : ISeedTaskForm
{
    private static readonly string[] Formats = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "tiff"];

    public string TaskType => "image_conversion";

    public bool RequiresUpload => true;

    public bool AcceptsEmptyUpload => false;

    public JsonObject BuildParameters(FormValues form, string? inputPath)
    {
        ArgumentNullException.ThrowIfNull(form);
        var format = form.Choice("format", Formats, null);
        var quality = form.WholeNumber("quality", 85, 1, 100);
        var extension = format == "jpeg" ? "jpg" : format;
        return new JsonObject
        {
            ["input_path"] = inputPath,
            ["output_path"] = $"output/converted_{Path.GetFileNameWithoutExtension(inputPath)}.{extension}",
            ["format"] = format,
            ["quality"] = quality,
        };
    }
}
