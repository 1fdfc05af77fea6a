using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Validation;

/// <summary>
/// Checks that a task's parameter schema uses only what <see cref="ParameterValidator"/> enforces,
/// with well-formed values. The plugin host runs it at load, so a typo such as <c>minimun</c>, which a
/// lenient validator would silently ignore, refuses the plugin with a message naming the spot.
/// </summary>
internal static class ParameterSchemaCheck
{
    private static readonly HashSet<string> Enforced = new(StringComparer.Ordinal)
    {
        "type", "properties", "required", "additionalProperties", "enum", "const", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "items", "minItems",
        "maxItems", "anyOf", "oneOf",
    };

    // Annotations carry no constraint (in draft 2020-12 "format" is an annotation unless a
    // validator opts in); accepting them lets authors document parameters without a checker.
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "default", "description", "title", "examples", "format", "deprecated", "readOnly", "writeOnly",
        "$schema", "$id", "$comment",
    };

    private static readonly HashSet<string> TypeNames = new(StringComparer.Ordinal)
    {
        "null", "boolean", "object", "array", "number", "string", "integer",
    };

    /// <summary>Returns one line per problem, e.g. <c>schema.properties.width.minimum: must be a number (got "1")</c>; empty when usable.</summary>
    public static IReadOnlyList<string> Check(JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<string>();
        CheckSchema(schema, "schema", errors);
        if (schema["type"] is { } type && IsTypeValue(type) && !TypeList(type).Contains("object"))
        {
            errors.Add($"schema.type: the parameters are always a JSON object, so the top-level type must be \"object\" (got {type.ToJsonString()})");
        }

        return errors;
    }

    private static void CheckSchema(JsonNode? node, string path, List<string> errors)
    {
        if (node is JsonValue flag && flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return;
        }

        if (node is not JsonObject schema)
        {
            errors.Add($"{path}: must be a schema object or true/false (got {ParameterWording.Show(node)})");
            return;
        }

        var before = errors.Count;
        foreach (var (keyword, value) in schema)
        {
            CheckKeyword(keyword, value, $"{path}.{keyword}", errors);
        }

        CheckRequiredAreReachable(schema, path, errors);

        // A default is only checked against a well-formed schema; otherwise the errors above say enough.
        if (errors.Count == before && schema.TryGetPropertyValue("default", out var defaultValue))
        {
            foreach (var problem in ParameterValidator.CheckValue(schema, defaultValue, $"{path}.default"))
            {
                errors.Add($"{problem.Path}: the default itself is invalid: it {problem.Problem}");
            }
        }
    }

    private static void CheckKeyword(string keyword, JsonNode? value, string path, List<string> errors)
    {
        switch (keyword)
        {
            case "type":
                if (!IsTypeValue(value))
                {
                    errors.Add($"{path}: must be one of {string.Join(", ", TypeNames)} or an array of them (got {ParameterWording.Show(value)})");
                }

                break;
            case "properties":
                if (value is JsonObject properties)
                {
                    foreach (var (name, propertySchema) in properties)
                    {
                        CheckSchema(propertySchema, ParameterWording.PropertyPath(path, name), errors);
                    }
                }
                else
                {
                    errors.Add($"{path}: must be an object mapping each parameter name to its schema (got {ParameterWording.Show(value)})");
                }

                break;
            case "required":
                if (value is not JsonArray names || names.Any(n => n?.GetValueKind() != JsonValueKind.String)
                    || names.Select(n => n!.GetValue<string>()).Distinct(StringComparer.Ordinal).Count() != names.Count)
                {
                    errors.Add($"{path}: must be an array of distinct parameter names (got {ParameterWording.Show(value)})");
                }

                break;
            case "additionalProperties" or "items":
                if (value is JsonArray)
                {
                    errors.Add($"{path}: must be a single schema or true/false (the array form is not supported)");
                }
                else
                {
                    CheckSchema(value, path, errors);
                }

                break;
            case "enum":
                if (value is not JsonArray { Count: > 0 })
                {
                    errors.Add($"{path}: must be a non-empty array of the allowed values (got {ParameterWording.Show(value)})");
                }

                break;
            case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum":
                if (value?.GetValueKind() != JsonValueKind.Number)
                {
                    errors.Add($"{path}: must be a number (got {ParameterWording.Show(value)})");
                }

                break;
            case "minLength" or "maxLength" or "minItems" or "maxItems":
                if (value?.GetValueKind() != JsonValueKind.Number || !IsCount(value.AsValue()))
                {
                    errors.Add($"{path}: must be a whole number >= 0 (got {ParameterWording.Show(value)})");
                }

                break;
            case "pattern":
                CheckPattern(value, path, errors);
                break;
            case "anyOf" or "oneOf":
                if (value is JsonArray { Count: > 0 } branches)
                {
                    for (var i = 0; i < branches.Count; i++)
                    {
                        CheckSchema(branches[i], $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", errors);
                    }
                }
                else
                {
                    errors.Add($"{path}: must be a non-empty array of schemas (got {ParameterWording.Show(value)})");
                }

                break;
            case var _ when Enforced.Contains(keyword) || Annotations.Contains(keyword):
                break;
            default:
                var suggestion = ParameterWording.ClosestName(keyword, Enforced.Concat(Annotations)) is { } close ? $" (did you mean '{close}'?)" : string.Empty;
                errors.Add($"{path}: '{keyword}' is not a supported keyword{suggestion}; supported: {string.Join(", ", Enforced)}; annotations: {string.Join(", ", Annotations)}");
                break;
        }
    }

    private static void CheckPattern(JsonNode? value, string path, List<string> errors)
    {
        if (value?.GetValueKind() != JsonValueKind.String)
        {
            errors.Add($"{path}: must be a regular expression string (got {ParameterWording.Show(value)})");
            return;
        }

        try
        {
            _ = ParameterValidator.PatternFor(value.GetValue<string>());
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{path}: is not a valid regular expression: {ex.Message}");
        }
    }

    /// <summary>A required name that is neither declared nor allowed as an extra can never be supplied.</summary>
    private static void CheckRequiredAreReachable(JsonObject schema, string path, List<string> errors)
    {
        if (schema["required"] is not JsonArray required
            || schema["additionalProperties"] is not JsonValue closed || closed.GetValueKind() != JsonValueKind.False)
        {
            return;
        }

        var declared = schema["properties"] as JsonObject;
        foreach (var name in required.Where(n => n?.GetValueKind() == JsonValueKind.String).Select(n => n!.GetValue<string>()))
        {
            if (declared is null || !declared.ContainsKey(name))
            {
                errors.Add($"{path}.required: '{name}' is required but not declared in properties while additionalProperties is false, so no job could pass");
            }
        }
    }

    private static bool IsTypeValue(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => TypeNames.Contains(v.GetValue<string>()),
        JsonArray { Count: > 0 } a => a.All(IsTypeValue),
        _ => false,
    };

    private static List<string> TypeList(JsonNode type) =>
        type is JsonArray a ? a.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];

    private static bool IsCount(JsonValue value) =>
        double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 && Math.Floor(n) == n;
}
