using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Gemini.Structured;

/// <summary>
/// Builds response schemas in the Gemini dialect (an OpenAPI 3 subset: upper-case types,
/// <c>properties</c>, <c>required</c>, <c>items</c>, <c>enum</c>, <c>minimum</c>/<c>maximum</c>,
/// <c>minItems</c>/<c>maxItems</c>, <c>pattern</c>, <c>propertyOrdering</c>). Each call returns a
/// fresh node, so parts can be reused in several schemas.
/// </summary>
internal static class Schema
{
    public static JsonObject Object(IReadOnlyList<(string Name, JsonObject Schema)> properties, string? description = null, IEnumerable<string>? optional = null)
    {
        var skip = new HashSet<string>(optional ?? []);
        var props = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
        }

        return With(new JsonObject
        {
            ["type"] = "OBJECT",
            ["properties"] = props,
            ["required"] = new JsonArray(properties.Where(p => !skip.Contains(p.Name)).Select(p => (JsonNode)p.Name).ToArray()),
            ["propertyOrdering"] = new JsonArray(properties.Select(p => (JsonNode)p.Name).ToArray()),
        }, description);
    }

    public static JsonObject Array(JsonObject items, string? description = null, int? minItems = null, int? maxItems = null)
    {
        var schema = With(new JsonObject { ["type"] = "ARRAY", ["items"] = items }, description);
        if (minItems is { } min)
        {
            schema["minItems"] = min;
        }

        if (maxItems is { } max)
        {
            schema["maxItems"] = max;
        }

        return schema;
    }

    public static JsonObject String(string? description = null, string? pattern = null, IReadOnlyList<string>? allowed = null)
    {
        var schema = With(new JsonObject { ["type"] = "STRING" }, description);
        if (pattern is not null)
        {
            schema["pattern"] = pattern;
        }

        if (allowed is not null)
        {
            schema["enum"] = new JsonArray(allowed.Select(a => (JsonNode)a).ToArray());
        }

        return schema;
    }

    public static JsonObject Number(string? description = null, double? minimum = null, double? maximum = null, bool integer = false)
    {
        var schema = With(new JsonObject { ["type"] = integer ? "INTEGER" : "NUMBER" }, description);
        if (minimum is { } min)
        {
            schema["minimum"] = min;
        }

        if (maximum is { } max)
        {
            schema["maximum"] = max;
        }

        return schema;
    }

    public static JsonObject Boolean(string? description = null) => With(new JsonObject { ["type"] = "BOOLEAN" }, description);

    private static JsonObject With(JsonObject schema, string? description)
    {
        if (description is not null)
        {
            schema["description"] = description;
        }

        return schema;
    }
}
