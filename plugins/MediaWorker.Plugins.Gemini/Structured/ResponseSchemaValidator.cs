using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MediaWorker.Plugins.Gemini.Structured;

/// <summary>
/// Checks a model's JSON answer against the same schema that was sent as <c>responseSchema</c>
/// (see <see cref="Schema"/>; types are matched case-insensitively so the lower-case JSON Schema
/// spelling works too). A model usually follows the schema, but not always: answers cut at the
/// token limit, missing required fields and out-of-range scores all happen.
/// </summary>
internal static class ResponseSchemaValidator
{
    /// <summary>Validates and returns the problems found, each with its JSON path; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(JsonNode? value, JsonObject schema)
    {
        var problems = new List<string>();
        Check(value, schema, "$", problems);
        return problems;
    }

    private static void Check(JsonNode? value, JsonObject schema, string path, List<string> problems)
    {
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true)
            {
                problems.Add($"{path} is null");
            }

            return;
        }

        var type = schema["type"]?.GetValue<string>().ToUpperInvariant();
        switch (type)
        {
            case "OBJECT":
                CheckObject(value, schema, path, problems);
                break;
            case "ARRAY":
                CheckArray(value, schema, path, problems);
                break;
            case "STRING":
                CheckString(value, schema, path, problems);
                break;
            case "NUMBER" or "INTEGER":
                CheckNumber(value, schema, path, type == "INTEGER", problems);
                break;
            case "BOOLEAN":
                if (value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    problems.Add($"{path} must be true or false, not {Describe(value)}");
                }

                break;
        }
    }

    private static void CheckObject(JsonNode value, JsonObject schema, string path, List<string> problems)
    {
        if (value is not JsonObject obj)
        {
            problems.Add($"{path} must be an object, not {Describe(value)}");
            return;
        }

        var properties = schema["properties"] as JsonObject ?? [];
        foreach (var required in schema["required"] as JsonArray ?? [])
        {
            var name = required!.GetValue<string>();
            if (!obj.ContainsKey(name))
            {
                problems.Add($"{path}.{name} is missing");
            }
        }

        foreach (var (name, child) in obj)
        {
            if (properties[name] is JsonObject childSchema)
            {
                Check(child, childSchema, $"{path}.{name}", problems);
            }
        }
    }

    private static void CheckArray(JsonNode value, JsonObject schema, string path, List<string> problems)
    {
        if (value is not JsonArray array)
        {
            problems.Add($"{path} must be an array, not {Describe(value)}");
            return;
        }

        if (schema["minItems"] is JsonNode min && array.Count < JsonNumbers.ToInt(min))
        {
            problems.Add($"{path} has {array.Count} items; at least {JsonNumbers.ToInt(min)} are required");
        }

        if (schema["maxItems"] is JsonNode max && array.Count > JsonNumbers.ToInt(max))
        {
            problems.Add($"{path} has {array.Count} items; at most {JsonNumbers.ToInt(max)} are allowed");
        }

        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], items, $"{path}[{i}]", problems);
            }
        }
    }

    private static void CheckString(JsonNode value, JsonObject schema, string path, List<string> problems)
    {
        if (value.GetValueKind() != JsonValueKind.String)
        {
            problems.Add($"{path} must be a string, not {Describe(value)}");
            return;
        }

        var text = value.GetValue<string>();
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => a?.GetValue<string>() == text))
        {
            problems.Add($"{path} is '{Shorten(text)}'; allowed values are {string.Join(", ", allowed.Select(a => a?.GetValue<string>()))}");
        }

        if (schema["pattern"] is JsonNode pattern && !Regex.IsMatch(text, pattern.GetValue<string>(), RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            problems.Add($"{path} is '{Shorten(text)}', which does not match {pattern.GetValue<string>()}");
        }

        if (schema["minLength"] is JsonNode minLength && text.Length < JsonNumbers.ToInt(minLength))
        {
            problems.Add($"{path} is shorter than {JsonNumbers.ToInt(minLength)} characters");
        }
    }

    private static void CheckNumber(JsonNode value, JsonObject schema, string path, bool integer, List<string> problems)
    {
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            problems.Add($"{path} must be a number, not {Describe(value)}");
            return;
        }

        var number = JsonNumbers.ToDouble(value);
        if (integer && number != Math.Floor(number))
        {
            problems.Add($"{path} must be a whole number, not {number.ToString(CultureInfo.InvariantCulture)}");
        }

        if (schema["minimum"] is JsonNode min && number < JsonNumbers.ToDouble(min))
        {
            problems.Add($"{path} is {number.ToString(CultureInfo.InvariantCulture)}, below the minimum {JsonNumbers.ToDouble(min).ToString(CultureInfo.InvariantCulture)}");
        }

        if (schema["maximum"] is JsonNode max && number > JsonNumbers.ToDouble(max))
        {
            problems.Add($"{path} is {number.ToString(CultureInfo.InvariantCulture)}, above the maximum {JsonNumbers.ToDouble(max).ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private static string Describe(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string '{Shorten(value.GetValue<string>())}'",
        _ => value.ToJsonString(),
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
