using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Validation;

/// <summary>How validation messages and parameter summaries word values, paths, types and ranges.</summary>
internal static class ParameterWording
{
    private const int ShownStringLength = 40;
    private static readonly JsonSerializerOptions ShowOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>How a value is shown in a message: strings quoted and shortened, containers summarised.</summary>
    internal static string Show(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray { Count: 0 } => "an empty array",
        JsonArray array => $"an array of {Plural(array.Count, "item")}",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        _ => value.ToJsonString(ShowOptions),
    };

    internal static string Quote(string text)
    {
        var shown = text.Length > ShownStringLength ? text[..ShownStringLength] + "…" : text;
        return JsonSerializer.Serialize(shown, ShowOptions);
    }

    /// <summary>The path of a property: <c>params.width</c>, or <c>params["odd name"]</c> when it is not an identifier.</summary>
    internal static string PropertyPath(string parent, string name)
    {
        var plain = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        return plain ? $"{parent}.{name}" : $"{parent}[{Quote(name)}]";
    }

    internal static string Plural(long count, string noun) =>
        count == 1 ? $"1 {noun}" : $"{count.ToString(CultureInfo.InvariantCulture)} {noun}s";

    /// <summary>The known name closest to a misspelt one (edit distance at most 2), if any.</summary>
    internal static string? ClosestName(string name, IEnumerable<string> known) =>
        known.Select(k => (Name: k, Distance: EditDistance(name.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(k => k.Distance <= 2 && k.Distance < name.Length)
            .OrderBy(k => k.Distance)
            .Select(k => k.Name)
            .FirstOrDefault();

    internal static string Noun(string type) => type switch
    {
        "integer" => "an integer",
        "object" => "an object",
        "array" => "an array",
        "null" => "null",
        _ => "a " + type,
    };

    /// <summary>The numeric bounds of a schema as text (<c>&gt;= 1 and &lt;= 100</c>); empty when it has none.</summary>
    internal static string NumberBounds(JsonObject schema)
    {
        var parts = new List<string>();
        AddBound(">=", "minimum");
        AddBound(">", "exclusiveMinimum");
        AddBound("<=", "maximum");
        AddBound("<", "exclusiveMaximum");
        return string.Join(" and ", parts);

        void AddBound(string op, string keyword)
        {
            if (schema[keyword] is { } bound)
            {
                parts.Add($"{op} {bound.ToJsonString()}");
            }
        }
    }

    internal static string CountRange(long min, long max, string noun) => (min, max) switch
    {
        (0, long.MaxValue) => $"any number of {noun}s",
        (_, long.MaxValue) => $"at least {Plural(min, noun)}",
        (0, _) => $"at most {Plural(max, noun)}",
        _ when min == max => $"exactly {Plural(min, noun)}",
        _ => $"{min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} {noun}s",
    };

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
