using System.Text.Json.Nodes;
using MediaWorker.ComputeService.Forms;

namespace MediaWorker.ComputeService.Tasks;

/// <summary>
/// <c>media_thumbnail</c>: <c>width</c> and <c>height</c> (optional, &gt; 0) and
/// <c>maintain_aspect_ratio</c> (default true); the output is the seed's <c>output/thumbnail.jpg</c>.
/// With one side given, the other is left free (the seed's "keep the aspect ratio"); with none, our
/// task's 256x256 box applies. Our thumbnails always keep the aspect ratio, so false is refused.
/// </summary>
public sealed class MediaThumbnailForm : ISeedTaskForm
{
    private const int MaxDimension = 65535;

    public string TaskType => "media_thumbnail";

    public bool RequiresUpload => true;

    public bool AcceptsEmptyUpload => false;

    public JsonObject BuildParameters(FormValues form, string? inputPath)
    {
        ArgumentNullException.ThrowIfNull(form);
        var width = form.WholeNumber("width", null, 1, MaxDimension);
        var height = form.WholeNumber("height", null, 1, MaxDimension);
        if (!form.Boolean("maintain_aspect_ratio", true))
        {
            form.Errors.Add(
                "maintain_aspect_ratio",
                "value_error",
                "maintain_aspect_ratio=false is not supported: media_thumbnail always keeps the aspect ratio (it fits the thumbnail inside width x height). Leave it out or send true.",
                "false");
        }

        var parameters = new JsonObject { ["input_path"] = inputPath, ["output_path"] = "output/thumbnail.jpg" };
        if (width is not null || height is not null)
        {
            parameters["width"] = width ?? MaxDimension;
            parameters["height"] = height ?? MaxDimension;
        }

        return parameters;
    }
}
