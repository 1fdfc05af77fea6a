using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.ComputeService.Forms;

namespace MediaWorker.ComputeService.Tasks;

/// <summary>
/// <c>hls_streaming</c>: a file, or <c>input_absolute_path</c> (and optionally
/// <c>output_absolute_path</c>) naming a video already on this box; <c>variants</c>, the seed's JSON
/// list <c>[{"resolution":720,"bitrate":3500}, ...]</c> (height in pixels, kbit/s; default
/// 720/3500 and 480/1500); <c>include_original</c> (default false). Our task spells a variant
/// <c>{"resolution":"720p","bitrate":"3500k"}</c>; a seed variant without a resolution is the
/// original, one without a bit rate gets the seed's ladder value for its height.
/// </summary>
public sealed class HlsStreamingForm : ISeedTaskForm
{
    public const string DefaultVariants = """[{"resolution":720,"bitrate":3500},{"resolution":480,"bitrate":1500}]""";
    private const int MaxVariants = 8;

    public string TaskType => "hls_streaming";

    public bool RequiresUpload => false;

    public bool AcceptsEmptyUpload => false;

    /// <summary>True when the form has neither a file nor an input path (the seed's 400).</summary>
    public static bool LacksInput(FormValues form, string? inputPath) =>
        inputPath is null && string.IsNullOrWhiteSpace(form?.Text("input_absolute_path"));

    public JsonObject BuildParameters(FormValues form, string? inputPath)
    {
        ArgumentNullException.ThrowIfNull(form);
        var includeOriginal = form.Boolean("include_original", false);
        var variants = Variants(form, ref includeOriginal);
        var parameters = new JsonObject();
        if (inputPath is not null)
        {
            parameters["input_path"] = inputPath;
            parameters["output_dir"] = "output";
        }
        else if (form.Text("input_absolute_path") is { } named && named.Trim() is { Length: > 0 } absolute)
        {
            if (!Path.IsPathRooted(absolute))
            {
                form.Errors.Add("input_absolute_path", "value_error", "input_absolute_path must be an absolute path (under MEDIA_ALLOWED_ROOTS).", absolute);
            }

            parameters["input_path"] = absolute;
            parameters["output_dir"] = form.Text("output_absolute_path") is { Length: > 0 } output ? output.Trim() : "output";
        }

        parameters["variants"] = variants;
        parameters["include_original"] = includeOriginal;
        return parameters;
    }

    private static JsonArray Variants(FormValues form, ref bool includeOriginal)
    {
        var raw = form.Text("variants") is { Length: > 0 } text ? text : DefaultVariants;
        JsonArray? list;
        try
        {
            list = JsonNode.Parse(raw) as JsonArray;
        }
        catch (JsonException)
        {
            list = null;
        }

        if (list is null || list.Any(v => v is not JsonObject))
        {
            form.Errors.Add("variants", "json_invalid", "variants must be a JSON list of objects such as [{\"resolution\":720,\"bitrate\":3500}].", raw);
            return [];
        }

        if (list.Count is 0 or > MaxVariants)
        {
            form.Errors.Add("variants", "value_error", $"Give from 1 to {MaxVariants} variants.", raw);
            return [];
        }

        var ours = new JsonArray();
        foreach (var variant in list.Cast<JsonObject>())
        {
            var resolution = Number(variant, "resolution");
            var bitrate = Number(variant, "bitrate");
            if (variant["resolution"] is null)
            {
                includeOriginal = true; // the seed's {"resolution": null}: the original quality
                continue;
            }

            if (resolution is not (>= 10 and <= 9999) || (variant["bitrate"] is not null && bitrate is not (>= 100 and <= 999_999)))
            {
                form.Errors.Add("variants", "value_error", "Each variant needs a resolution (a height from 10 to 9999 pixels) and, if given, a bitrate from 100 to 999999 kbit/s.", variant.ToJsonString());
                continue;
            }

            ours.Add(new JsonObject
            {
                ["resolution"] = string.Create(CultureInfo.InvariantCulture, $"{resolution}p"),
                ["bitrate"] = string.Create(CultureInfo.InvariantCulture, $"{bitrate ?? LadderBitrate(resolution.Value)}k"),
            });
        }

        if (ours.Count == 0 && !includeOriginal && !form.Errors.Any)
        {
            form.Errors.Add("variants", "value_error", "At least one variant must be specified.", raw);
        }

        return ours;
    }

    private static int? Number(JsonObject variant, string name) =>
        variant[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    /// <summary>The seed's ladder (720: 3500, 480: 1500, 240: 800 kbit/s), about 5 kbit/s per line elsewhere.</summary>
    private static int LadderBitrate(int height) => height switch
    {
        720 => 3500,
        480 => 1500,
        240 => 800,
        _ => Math.Max(100, height * 5),
    };
}
