using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Video.Common;

/// <summary>
/// Builds the tasks' JSON Schemas from small pieces, so every task states its parameters the same
/// way: strict objects (<c>additionalProperties: false</c>), typed values with ranges, enums and defaults.
/// </summary>
internal static class ParameterSchema
{
    /// <summary>A strict object: only the listed properties, the required ones present.</summary>
    public static JsonObject Object(IEnumerable<(string Name, JsonObject Schema)> properties, params string[] required)
    {
        var props = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
        }

        var result = new JsonObject { ["type"] = "object", ["properties"] = props, ["additionalProperties"] = false };
        if (required.Length > 0)
        {
            result["required"] = new JsonArray([.. required.Select(r => JsonValue.Create(r))]);
        }

        return result;
    }

    /// <summary>The input every task reads: a path in the sandbox, or an allowed URL.</summary>
    public static (string, JsonObject) InputPath() => ("input_path", String(
        "The video or audio to read: a path (relative to the compute storage folder, or absolute under MEDIA_ALLOWED_ROOTS), "
        + "or an http(s)/rtmp/rtsp URL that starts with one of VIDEO_ALLOWED_URL_PREFIXES."));

    /// <summary>A non-empty string of at most 4096 characters.</summary>
    public static JsonObject String(string description) =>
        new() { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = 4096, ["description"] = description };

    /// <summary>A string matching <paramref name="pattern"/>.</summary>
    public static JsonObject Pattern(string description, string pattern, string? defaultValue = null)
    {
        var schema = new JsonObject { ["type"] = "string", ["pattern"] = pattern, ["description"] = description };
        if (defaultValue is not null)
        {
            schema["default"] = defaultValue;
        }

        return schema;
    }

    /// <summary>One of <paramref name="values"/>.</summary>
    public static JsonObject Enum(string description, IEnumerable<string> values, string defaultValue) => new()
    {
        ["type"] = "string",
        ["enum"] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]),
        ["default"] = defaultValue,
        ["description"] = description,
    };

    /// <summary>A number in a range; <paramref name="exclusiveMinimum"/> makes the minimum itself invalid.</summary>
    public static JsonObject Number(string description, double minimum, double? maximum = null, double? defaultValue = null, bool exclusiveMinimum = false)
    {
        var schema = new JsonObject { ["type"] = "number", ["description"] = description };
        schema[exclusiveMinimum ? "exclusiveMinimum" : "minimum"] = minimum;
        if (maximum is { } max)
        {
            schema["maximum"] = max;
        }

        if (defaultValue is { } d)
        {
            schema["default"] = d;
        }

        return schema;
    }

    /// <summary>An integer in a range.</summary>
    public static JsonObject Integer(string description, int minimum, int maximum, int? defaultValue = null)
    {
        var schema = new JsonObject { ["type"] = "integer", ["minimum"] = minimum, ["maximum"] = maximum, ["description"] = description };
        if (defaultValue is { } d)
        {
            schema["default"] = d;
        }

        return schema;
    }

    /// <summary>true or false.</summary>
    public static JsonObject Boolean(string description, bool defaultValue) =>
        new() { ["type"] = "boolean", ["default"] = defaultValue, ["description"] = description };

    /// <summary>An array of items.</summary>
    public static JsonObject Array(string description, JsonObject items, int minItems, int maxItems) => new()
    {
        ["type"] = "array",
        ["items"] = items,
        ["minItems"] = minItems,
        ["maxItems"] = maxItems,
        ["description"] = description,
    };
}
