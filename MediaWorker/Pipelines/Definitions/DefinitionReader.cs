using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaWorker.Pipelines.Definitions;

/// <summary>
/// Reads a definition from its JSON or YAML text (<see cref="DefinitionSource"/>). Shape errors (a missing name, a step without a task, a
/// field of the wrong type, an unknown field) are collected with the path of the field, so one
/// pass reports them all; the meaning (references, cycles, schemas) is checked by
/// <see cref="Validation.PipelineValidator"/>.
/// </summary>
public static class DefinitionReader
{
    private static readonly HashSet<string> TopFields = ["name", "description", "defaults", "steps"];
    private static readonly HashSet<string> StepFields = ["name", "task", "params", "needs", "when", "for_each", "optional", "max_retries", "timeout_seconds", "priority"];

    /// <summary>Parses a JSON text; returns the definition (null when it cannot be built) and every shape error.</summary>
    public static (PipelineDefinition? Definition, IReadOnlyList<string> Errors) Read(string json) => Read(new DefinitionSource(json, DefinitionFormat.Json));

    /// <summary>Parses a JSON or YAML text; returns the definition (null when it cannot be built) and every shape error (for YAML with the line of the field).</summary>
    public static (PipelineDefinition? Definition, IReadOnlyList<string> Errors) Read(DefinitionSource source)
    {
        var (definition, errors, _) = ReadLocated(source);
        return (definition, errors);
    }

    /// <summary>As <see cref="Read(DefinitionSource)"/>, and a function that puts the file's line in front of any later message naming a step and field.</summary>
    internal static (PipelineDefinition? Definition, IReadOnlyList<string> Errors, Func<string, string> Locate) ReadLocated(DefinitionSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (root, lines, error) = source.Parse();
        Func<string, string> locate = lines is null ? message => message : message => lines.Annotate(message, root);
        if (error is not null)
        {
            return (null, [error], locate);
        }

        var (definition, errors) = Read(root, source.Format);
        return (definition, [.. errors.Select(locate)], locate);
    }

    private static (PipelineDefinition? Definition, IReadOnlyList<string> Errors) Read(JsonNode? root, DefinitionFormat format)
    {
        if (root is not JsonObject top)
        {
            return (null, [format == DefinitionFormat.Yaml ? "the definition must be a YAML mapping with 'name' and 'steps'" : "the definition must be a JSON object with 'name' and 'steps'"]);
        }

        var errors = new List<string>();
        Unknown(top, TopFields, "", errors);
        var name = Text(top, "name", "name", errors, required: true) ?? "";
        var description = Text(top, "description", "description", errors, required: false) ?? "";
        var defaults = top["defaults"] switch
        {
            null => [],
            JsonObject d => (JsonObject)d.DeepClone(),
            _ => Error<JsonObject>(errors, "defaults: must be an object of input values", []),
        };

        var steps = new List<StepDefinition>();
        switch (top["steps"])
        {
            case JsonArray array when array.Count > 0:
                for (var i = 0; i < array.Count; i++)
                {
                    if (ReadStep(array[i], i, errors) is { } step)
                    {
                        steps.Add(step);
                    }
                }

                break;
            case null:
                errors.Add("steps: missing; give a list of steps");
                break;
            default:
                errors.Add("steps: must be a non-empty list of steps");
                break;
        }

        return (errors.Count == 0 ? new PipelineDefinition(name, description, defaults, steps) : null, errors);
    }

    private static StepDefinition? ReadStep(JsonNode? node, int position, List<string> errors)
    {
        if (node is not JsonObject step)
        {
            errors.Add($"steps[{position}]: must be an object with 'name' and 'task'");
            return null;
        }

        var name = Text(step, "name", $"steps[{position}].name", errors, required: true);
        var where = name is null ? $"steps[{position}]" : $"step '{name}'";
        Unknown(step, StepFields, where + ": ", errors);
        var task = Text(step, "task", $"{where}: task", errors, required: true);
        var parameters = step["params"] switch
        {
            null => [],
            JsonObject p => (JsonObject)p.DeepClone(),
            _ => Error<JsonObject>(errors, $"{where}: params must be an object", []),
        };

        var needs = new List<string>();
        switch (step["needs"])
        {
            case null:
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                needs.Add(v.GetValue<string>());
                break;
            case JsonArray array:
                foreach (var need in array)
                {
                    if (need is JsonValue n && n.GetValueKind() == JsonValueKind.String)
                    {
                        needs.Add(n.GetValue<string>());
                    }
                    else
                    {
                        errors.Add($"{where}: needs must list step names");
                    }
                }

                break;
            default:
                errors.Add($"{where}: needs must be a step name or a list of step names");
                break;
        }

        var definition = new StepDefinition(name ?? "", task ?? "", parameters, needs)
        {
            When = Text(step, "when", $"{where}: when", errors, required: false),
            ForEach = Text(step, "for_each", $"{where}: for_each", errors, required: false),
            Optional = Flag(step, "optional", where, errors),
            MaxRetries = Whole(step, "max_retries", where, errors, 0, 100) ?? 3,
            Priority = Whole(step, "priority", where, errors, int.MinValue, int.MaxValue) ?? 5,
            TimeoutSeconds = Seconds(step, where, errors),
        };
        return name is null || task is null ? null : definition;
    }

    private static void Unknown(JsonObject obj, HashSet<string> known, string where, List<string> errors)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key))
            {
                errors.Add($"{where}unknown field '{key}' (the fields are {string.Join(", ", known)})");
            }
        }
    }

    private static string? Text(JsonObject obj, string key, string field, List<string> errors, bool required)
    {
        switch (obj[key])
        {
            case null when required:
                errors.Add($"{field}: missing");
                return null;
            case null:
                return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Trim().Length > 0:
                return v.GetValue<string>().Trim();
            default:
                errors.Add($"{field}: must be a non-empty string");
                return null;
        }
    }

    private static bool Flag(JsonObject obj, string key, string where, List<string> errors) => obj[key] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => Error(errors, $"{where}: {key} must be true or false", false),
    };

    private static int? Whole(JsonObject obj, string key, string where, List<string> errors, int min, int max) => obj[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<int>(out var n) && n >= min && n <= max => n,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() is var d && d == Math.Floor(d) && d >= min && d <= max => (int)d,
        _ => Error<int?>(errors, $"{where}: {key} must be a whole number{(min == 0 ? $" from 0 to {max}" : string.Empty)}", null),
    };

    private static double? Seconds(JsonObject obj, string where, List<string> errors) => obj["timeout_seconds"] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() > 0 => v.GetValue<double>(),
        _ => Error<double?>(errors, $"{where}: timeout_seconds must be a number of seconds above 0", null),
    };

    private static T Error<T>(List<string> errors, string message, T value)
    {
        errors.Add(message);
        return value;
    }
}
