using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaWorker.Plugins.Abstractions;
using static MediaWorker.Plugins.Validation.ParameterWording;

namespace MediaWorker.Plugins.Validation;

/// <summary>
/// Checks a job's <c>params</c> against its task's <see cref="TaskDescriptor.ParameterSchema"/>,
/// implementing the JSON Schema keyword subset listed there. The messages become a failed job's
/// <c>error_message</c>, so each one names the parameter's path, says what is allowed and shows
/// what was given: <c>params.width: must be an integer &gt;= 1 (got -5)</c>.
/// </summary>
/// <remarks>
/// Keywords apply the way JSON Schema applies them: <c>minimum</c> only constrains numbers,
/// <c>minLength</c> only strings, and so on; annotations (<c>description</c>, <c>default</c>, ...)
/// are not checked. Schemas are expected to have passed <see cref="ParameterSchemaCheck"/>, which the
/// plugin host runs at load; a malformed keyword here throws <see cref="ArgumentException"/>.
/// </remarks>
public static class ParameterValidator
{
    private const string RootPath = "params";

    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    /// <summary>Validates <paramref name="parameters"/> and returns one readable line per problem; empty when valid.</summary>
    /// <param name="schema">The task's parameter schema; <see langword="null"/> accepts any object.</param>
    /// <param name="parameters">The job's parameters; <see langword="null"/> (a NULL column or JSON <c>null</c>) counts as <c>{}</c>.</param>
    public static IReadOnlyList<string> Validate(JsonObject? schema, JsonNode? parameters) =>
        Check(schema, parameters).Select(e => e.ToString()).ToList();

    /// <summary>Like <see cref="Validate"/>, with the path and the problem of each error apart.</summary>
    public static IReadOnlyList<ParameterError> Check(JsonObject? schema, JsonNode? parameters)
    {
        var errors = new List<ParameterError>();
        var value = parameters ?? new JsonObject();
        if (value is not JsonObject)
        {
            errors.Add(new(RootPath, $"must be a JSON object (got {Show(value)})"));
            return errors;
        }

        if (schema is not null)
        {
            CheckNode(schema, value, RootPath, errors);
        }

        return errors;
    }

    /// <summary>Checks one value against one (sub)schema; used by <see cref="ParameterSchemaCheck"/> for defaults.</summary>
    internal static List<ParameterError> CheckValue(JsonNode schema, JsonNode? value, string path)
    {
        var errors = new List<ParameterError>();
        CheckNode(schema, value, path, errors);
        return errors;
    }

    internal static Regex PatternFor(string pattern) =>
        Patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(250)));

    private static void CheckNode(JsonNode schema, JsonNode? value, string path, List<ParameterError> errors)
    {
        switch (schema)
        {
            case JsonObject keywords:
                CheckKeywords(keywords, value, path, errors);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.True:
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.False:
                errors.Add(new(path, "is not allowed"));
                break;
            default:
                throw new ArgumentException($"The schema for {path} is neither an object nor true/false.", nameof(schema));
        }
    }

    private static void CheckKeywords(JsonObject schema, JsonNode? value, string path, List<ParameterError> errors)
    {
        if (schema["type"] is { } typeNode)
        {
            var allowed = TypeNames(typeNode);
            if (!allowed.Any(type => IsOfType(type, value)))
            {
                // Later keywords only make sense for the right type; one clear line beats several.
                errors.Add(new(path, $"must be {Expectation(schema, allowed)} (got {Show(value)})"));
                return;
            }
        }

        if (schema.TryGetPropertyValue("const", out var constant) && !JsonNode.DeepEquals(constant, value))
        {
            errors.Add(new(path, $"must be {Show(constant)} (got {Show(value)})"));
        }

        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, value)))
        {
            errors.Add(new(path, $"must be one of {string.Join(", ", options.Select(Show))} (got {Show(value)})"));
        }

        switch (value)
        {
            case JsonObject obj:
                CheckObject(schema, obj, path, errors);
                break;
            case JsonArray array:
                CheckArray(schema, array, path, errors);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                CheckNumber(schema, v, path, errors);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                CheckString(schema, v.GetValue<string>(), path, errors);
                break;
        }

        CheckAlternatives(schema, value, path, errors);
    }

    private static void CheckObject(JsonObject schema, JsonObject value, string path, List<ParameterError> errors)
    {
        var properties = schema["properties"] as JsonObject;
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r!.GetValue<string>()).Where(name => !value.ContainsKey(name)))
            {
                var hint = properties?[name] is JsonObject { } propertySchema && propertySchema["type"] is { } type
                    ? $" ({Expectation(propertySchema, TypeNames(type))})"
                    : string.Empty;
                errors.Add(new(PropertyPath(path, name), "is required" + hint));
            }
        }

        schema.TryGetPropertyValue("additionalProperties", out var additional);
        foreach (var (name, child) in value)
        {
            var childPath = PropertyPath(path, name);
            if (properties is not null && properties.TryGetPropertyValue(name, out var propertySchema) && propertySchema is not null)
            {
                CheckNode(propertySchema, child, childPath, errors);
            }
            else if (additional is JsonValue closed && closed.GetValueKind() == JsonValueKind.False)
            {
                errors.Add(new(childPath, UnknownProperty(name, properties)));
            }
            else if (additional is not null)
            {
                CheckNode(additional, child, childPath, errors);
            }
        }
    }

    private static string UnknownProperty(string name, JsonObject? properties)
    {
        var known = properties?.Select(p => p.Key).ToList() ?? [];
        if (known.Count == 0)
        {
            return "is not a recognised parameter; none are allowed here";
        }

        var suggestion = ClosestName(name, known) is { } close ? $" (did you mean '{close}'?)" : string.Empty;
        return $"is not a recognised parameter{suggestion}; allowed: {string.Join(", ", known)}";
    }

    private static void CheckArray(JsonObject schema, JsonArray value, string path, List<ParameterError> errors)
    {
        var min = WholeNumber(schema, "minItems");
        var max = WholeNumber(schema, "maxItems");
        if (value.Count < min || value.Count > max)
        {
            errors.Add(new(path, $"must have {CountRange(min, max, "item")} (got {value.Count.ToString(CultureInfo.InvariantCulture)})"));
        }

        if (schema["items"] is { } items)
        {
            for (var i = 0; i < value.Count; i++)
            {
                CheckNode(items, value[i], $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", errors);
            }
        }
    }

    private static void CheckNumber(JsonObject schema, JsonValue value, string path, List<ParameterError> errors)
    {
        var number = NumberOf(value);
        var withinBounds =
            (Bound(schema, "minimum") is not { } min || number >= min)
            && (Bound(schema, "exclusiveMinimum") is not { } exclusiveMin || number > exclusiveMin)
            && (Bound(schema, "maximum") is not { } max || number <= max)
            && (Bound(schema, "exclusiveMaximum") is not { } exclusiveMax || number < exclusiveMax);
        if (!withinBounds)
        {
            errors.Add(new(path, $"must be {NumericNoun(schema)} {NumberBounds(schema)} (got {Show(value)})"));
        }
    }

    private static void CheckString(JsonObject schema, string value, string path, List<ParameterError> errors)
    {
        // JSON Schema counts characters as Unicode code points, not UTF-16 units.
        var length = value.EnumerateRunes().Count();
        var min = WholeNumber(schema, "minLength");
        var max = WholeNumber(schema, "maxLength");
        if (length < min || length > max)
        {
            errors.Add(new(path, $"must be {CountRange(min, max, "character")} long (got {Plural(length, "character")})"));
        }

        if (schema["pattern"] is JsonValue patternNode)
        {
            var pattern = patternNode.GetValue<string>();
            try
            {
                if (!PatternFor(pattern).IsMatch(value))
                {
                    errors.Add(new(path, $"must match the pattern {pattern} (got {Quote(value)})"));
                }
            }
            catch (RegexMatchTimeoutException)
            {
                errors.Add(new(path, $"could not be checked against the pattern {pattern} in time; use a shorter value"));
            }
        }
    }

    private static void CheckAlternatives(JsonObject schema, JsonNode? value, string path, List<ParameterError> errors)
    {
        if (schema["anyOf"] is JsonArray anyOf)
        {
            var outcomes = anyOf.Select(branch => CheckValue(branch!, value, path)).ToList();
            if (!outcomes.Any(o => o.Count == 0))
            {
                errors.Add(new(path, NoAlternativeMatches(outcomes, path)));
            }
        }

        if (schema["oneOf"] is JsonArray oneOf)
        {
            var outcomes = oneOf.Select(branch => CheckValue(branch!, value, path)).ToList();
            var matching = outcomes.Select((o, i) => (o, i)).Where(x => x.o.Count == 0).Select(x => (x.i + 1).ToString(CultureInfo.InvariantCulture)).ToList();
            if (matching.Count == 0)
            {
                errors.Add(new(path, NoAlternativeMatches(outcomes, path)));
            }
            else if (matching.Count > 1)
            {
                errors.Add(new(path, $"matches {matching.Count.ToString(CultureInfo.InvariantCulture)} of the allowed forms ({string.Join(" and ", matching)}) but must match exactly one (got {Show(value)})"));
            }
        }
    }

    private static string NoAlternativeMatches(List<List<ParameterError>> outcomes, string path)
    {
        var text = new StringBuilder($"matches none of the {outcomes.Count.ToString(CultureInfo.InvariantCulture)} allowed forms: ");
        for (var i = 0; i < outcomes.Count; i++)
        {
            text.Append(i == 0 ? string.Empty : "; or ").Append('(').Append(i + 1).Append(") ");
            text.AppendJoin(", ", outcomes[i].Select(e => e.Path == path ? e.Problem : e.ToString()));
        }

        return text.ToString();
    }

    internal static List<string> TypeNames(JsonNode typeNode) => typeNode switch
    {
        JsonArray names => names.Select(n => n!.GetValue<string>()).ToList(),
        JsonValue name => [name.GetValue<string>()],
        _ => throw new ArgumentException("'type' must be a string or an array of strings.", nameof(typeNode)),
    };

    private static bool IsOfType(string type, JsonNode? value)
    {
        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        return type switch
        {
            "null" => kind == JsonValueKind.Null,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "number" => kind == JsonValueKind.Number,
            "integer" => kind == JsonValueKind.Number && IsInteger(NumberOf(value!.AsValue())),
            _ => throw new ArgumentException($"'{type}' is not a JSON Schema type.", nameof(type)),
        };
    }

    /// <summary>What a value of this schema looks like, for "must be ..." messages: <c>an integer &gt;= 1</c>.</summary>
    private static string Expectation(JsonObject schema, List<string> types)
    {
        var text = string.Join(" or ", types.Select(Noun));
        if (types.All(t => t is "number" or "integer") && NumberBounds(schema) is { Length: > 0 } bounds)
        {
            return $"{text} {bounds}";
        }

        if (types is ["string"] && (schema.ContainsKey("minLength") || schema.ContainsKey("maxLength")))
        {
            return $"{text} of {CountRange(WholeNumber(schema, "minLength"), WholeNumber(schema, "maxLength"), "character")}";
        }

        return text;
    }

    private static string NumericNoun(JsonObject schema) =>
        schema["type"] is { } type && TypeNames(type) is var names && names.Contains("integer") && !names.Contains("number") ? "an integer" : "a number";

    private static double? Bound(JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue bound ? NumberOf(bound) : null;

    /// <summary>A count keyword (<c>minLength</c>, <c>maxItems</c>, ...) or its neutral value when absent.</summary>
    internal static long WholeNumber(JsonObject schema, string keyword)
    {
        if (schema[keyword] is not JsonValue bound)
        {
            return keyword.StartsWith("min", StringComparison.Ordinal) ? 0 : long.MaxValue;
        }

        var number = NumberOf(bound);
        return number >= long.MaxValue ? long.MaxValue : (long)number;
    }

    // A JsonValue may wrap a parsed JsonElement or a CLR number (int, decimal, ...); its JSON text reads the same for both.
    private static double NumberOf(JsonValue value) =>
        double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool IsInteger(double number) => double.IsFinite(number) && Math.Floor(number) == number;

}
