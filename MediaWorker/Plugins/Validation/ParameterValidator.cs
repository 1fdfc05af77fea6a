using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Validation;

/// <summary>Validates job parameters against a task's JSON schema (the full validator lands with the plugin host).</summary>
public static class ParameterValidator
{
    public static IReadOnlyList<string> Validate(JsonObject? schema, JsonNode? parameters)
    {
        if (schema is null)
        {
            return [];
        }

        if (parameters is not JsonObject obj)
        {
            return ["params: must be a JSON object"];
        }

        return schema["required"] is JsonArray required
            ? required.Select(r => r!.GetValue<string>()).Where(name => !obj.ContainsKey(name)).Select(name => $"params.{name}: is required").ToList()
            : [];
    }
}
