using System.Text.Json.Nodes;
using MediaWorker.Plugins.Image.Formats;

namespace MediaWorker.Plugins.Image.Tasks;

/// <summary>Builds the tasks' JSON Schemas from shared pieces, strict everywhere (<c>additionalProperties: false</c>).</summary>
internal static class ParameterSchemas
{
    public const int MaxDimension = 65535;
    public const int DefaultQuality = 85;

    public static JsonObject Object(IEnumerable<string> required, params (string Name, JsonObject Schema)[] properties)
    {
        var props = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = props,
            ["required"] = new JsonArray(required.Select(r => (JsonNode)r).ToArray()),
            ["additionalProperties"] = false,
        };
    }

    public static JsonObject FilePath(string description) => new()
    {
        ["type"] = "string",
        ["minLength"] = 1,
        ["maxLength"] = 4096,
        ["description"] = description,
    };

    public static JsonObject Integer(string description, int minimum, int maximum, int? defaultValue = null)
    {
        var schema = new JsonObject { ["type"] = "integer", ["minimum"] = minimum, ["maximum"] = maximum, ["description"] = description };
        if (defaultValue is { } d)
        {
            schema["default"] = d;
        }

        return schema;
    }

    public static JsonObject Dimension(string description, int? defaultValue = null) => Integer(description, 1, MaxDimension, defaultValue);

    public static JsonObject Quality() => Integer("Compression quality for lossy formats (JPEG, WebP, AVIF, HEIC).", 1, 100, DefaultQuality);

    public static JsonObject Boolean(string description, bool defaultValue) => new()
    {
        ["type"] = "boolean",
        ["default"] = defaultValue,
        ["description"] = description,
    };

    public static JsonObject Choice(string description, IEnumerable<string> values, string? defaultValue = null)
    {
        var schema = new JsonObject
        {
            ["type"] = "string",
            ["enum"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()),
            ["description"] = description,
        };
        if (defaultValue is not null)
        {
            schema["default"] = defaultValue;
        }

        return schema;
    }

    public static JsonObject OutputFormat(string description, string? defaultValue = null) => Choice(description, ImageFormat.RequestNames, defaultValue);
}
