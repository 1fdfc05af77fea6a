using System.Text.Json.Nodes;
using MediaWorker.ComputeService.Forms;

namespace MediaWorker.ComputeService.Tasks;

/// <summary>
/// <c>exif</c>: <c>tags</c> is the seed's comma list of EXIF tag names (empty: all). Our task picks
/// sections of its summary instead, so each tag selects the section that holds it (Make: make,
/// DateTimeOriginal: capture_time, GPSLatitude: gps, ...); any other tag selects the raw tags.
/// </summary>
public sealed class ExifForm : ISeedTaskForm
{
    private static readonly (string Prefix, string Section)[] SectionOfTag =
    [
        ("make", "make"), ("model", "model"), ("datetime", "capture_time"), ("createdate", "capture_time"),
        ("imagewidth", "dimensions"), ("imageheight", "dimensions"), ("exifimagewidth", "dimensions"), ("exifimageheight", "dimensions"),
        ("pixelxdimension", "dimensions"), ("pixelydimension", "dimensions"), ("orientation", "orientation"),
        ("iso", "iso"), ("photographicsensitivity", "iso"), ("fnumber", "exposure"), ("exposure", "exposure"),
        ("focallength", "exposure"), ("aperture", "exposure"), ("shutterspeed", "exposure"), ("gps", "gps"),
    ];

    public string TaskType => "exif";

    public bool RequiresUpload => true;

    public bool AcceptsEmptyUpload => false;

    public JsonObject BuildParameters(FormValues form, string? inputPath)
    {
        ArgumentNullException.ThrowIfNull(form);
        var tags = (form.Text("tags") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sections = tags.Select(SectionFor).Distinct(StringComparer.Ordinal).ToList();
        var parameters = new JsonObject { ["input_path"] = inputPath };
        if (sections.Count > 0)
        {
            parameters["tags"] = new JsonArray([.. sections.Select(s => JsonValue.Create(s))]);
        }

        return parameters;
    }

    internal static string SectionFor(string tag)
    {
        var key = tag.Replace(":", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        if (key.StartsWith("exif", StringComparison.Ordinal) && !key.StartsWith("exifimage", StringComparison.Ordinal))
        {
            key = key["exif".Length..]; // "exif:Make", as ImageMagick names them
        }

        return SectionOfTag.FirstOrDefault(m => key.StartsWith(m.Prefix, StringComparison.Ordinal)).Section ?? "raw";
    }
}
