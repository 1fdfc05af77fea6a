using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Validation;

namespace MediaWorker.Plugins.Reporting;

/// <summary>
/// Describes a task's parameter schema in words, one line per parameter, for <c>mediaworker plugins</c>:
/// <c>width (required): an integer &gt;= 1 and &lt;= 10000. Target width in pixels.</c>
/// </summary>
internal static class ParameterSummary
{
    /// <summary>
    /// One line per declared parameter (nested objects as <c>crop.x</c>), plus a line about undeclared
    /// ones when the schema accepts them; empty when the schema declares no parameters (see <see cref="WithoutParameters"/>).
    /// </summary>
    public static IReadOnlyList<string> Describe(JsonObject? schema)
    {
        var lines = new List<string>();
        if (schema is null)
        {
            return lines;
        }

        AddProperties(schema, prefix: string.Empty, lines);
        if (lines.Count > 0 && !IsClosed(schema))
        {
            lines.Add(schema["additionalProperties"] is JsonObject extra ? $"other parameters: {DescribeValue(extra)}" : "other parameters: accepted");
        }

        return lines;
    }

    /// <summary>What a schema that declares no parameters accepts, in a few words.</summary>
    public static string WithoutParameters(JsonObject? schema) => schema switch
    {
        null => "any JSON object (the task declares no schema)",
        _ when IsClosed(schema) => "none",
        _ => "any (none are declared)",
    };

    /// <summary>What one value must look like: <c>an integer &gt;= 1</c>, <c>one of "jpeg", "png"</c>.</summary>
    public static string DescribeValue(JsonNode? schema)
    {
        if (schema is JsonValue flag)
        {
            return flag.GetValueKind() == JsonValueKind.True ? "any value" : "not allowed";
        }

        if (schema is not JsonObject keywords)
        {
            return "any value";
        }

        var parts = new List<string>();
        if (keywords.TryGetPropertyValue("const", out var constant))
        {
            parts.Add($"exactly {ParameterWording.Show(constant)}");
        }
        else if (keywords["enum"] is JsonArray options)
        {
            parts.Add($"one of {string.Join(", ", options.Select(ParameterWording.Show))}");
        }
        else if (keywords["type"] is { } type)
        {
            parts.Add(string.Join(" or ", ParameterValidator.TypeNames(type).Select(ParameterWording.Noun)));
        }

        if (ParameterWording.NumberBounds(keywords) is { Length: > 0 } bounds)
        {
            parts.Add(bounds);
        }

        if (keywords.ContainsKey("minLength") || keywords.ContainsKey("maxLength"))
        {
            parts.Add("of " + ParameterWording.CountRange(ParameterValidator.WholeNumber(keywords, "minLength"), ParameterValidator.WholeNumber(keywords, "maxLength"), "character"));
        }

        if (keywords["pattern"] is JsonValue pattern)
        {
            parts.Add($"matching {pattern.GetValue<string>()}");
        }

        if (keywords.ContainsKey("minItems") || keywords.ContainsKey("maxItems"))
        {
            parts.Add("of " + ParameterWording.CountRange(ParameterValidator.WholeNumber(keywords, "minItems"), ParameterValidator.WholeNumber(keywords, "maxItems"), "item"));
        }

        if (keywords["items"] is { } items)
        {
            parts.Add($"each {DescribeValue(items)}");
        }

        foreach (var combinator in new[] { "anyOf", "oneOf" })
        {
            if (keywords[combinator] is JsonArray branches)
            {
                var forms = branches.Select((b, i) => $"({i + 1}) {DescribeValue(b)}");
                parts.Add((combinator == "oneOf" ? "exactly one of: " : "one of: ") + string.Join("; ", forms));
            }
        }

        return parts.Count == 0 ? "any value" : string.Join(" ", parts);
    }

    private static void AddProperties(JsonObject schema, string prefix, List<string> lines)
    {
        if (schema["properties"] is not JsonObject properties)
        {
            return;
        }

        var required = schema["required"] is JsonArray names ? names.Select(n => n!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) : [];
        foreach (var (name, propertySchema) in properties)
        {
            var qualifiers = required.Contains(name) ? "required" : "optional";
            if (propertySchema is JsonObject keywords && keywords.TryGetPropertyValue("default", out var defaultValue))
            {
                qualifiers += $", default {ParameterWording.Show(defaultValue)}";
            }

            var description = propertySchema is JsonObject withText && withText["description"] is JsonValue text ? $". {text.GetValue<string>().TrimEnd('.')}." : string.Empty;
            lines.Add($"{prefix}{name} ({qualifiers}): {DescribeValue(propertySchema)}{description}");
            if (propertySchema is JsonObject nested)
            {
                AddProperties(nested, $"{prefix}{name}.", lines);
            }
        }
    }

    private static bool IsClosed(JsonObject schema) =>
        schema["additionalProperties"] is JsonValue closed && closed.GetValueKind() == JsonValueKind.False;
}
