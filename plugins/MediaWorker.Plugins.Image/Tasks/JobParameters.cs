using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Image.Tasks;

/// <summary>
/// Reads a job's parameters, checking again in code what the schema says (tests and foreign hosts may
/// skip the schema); every refusal is a <see cref="PermanentJobException"/> naming the parameter.
/// </summary>
internal sealed class JobParameters
{
    private readonly JsonObject _parameters;

    public JobParameters(JsonObject parameters, JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(schema);
        _parameters = parameters;
        var known = schema["properties"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var unknown = parameters.Select(p => p.Key).Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new PermanentJobException(
                $"Unknown parameter(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}; this task takes {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
        }

        foreach (var required in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
        {
            if (parameters[required] is null)
            {
                throw new PermanentJobException($"Parameter '{required}' is required.");
            }
        }
    }

    /// <summary>The <c>quality</c> parameter (1-100), 85 when absent.</summary>
    public int Quality() => OptionalInt("quality", 1, 100) ?? ParameterSchemas.DefaultQuality;

    /// <summary>The <c>format</c> parameter as given (one of the output format names), or <see langword="null"/>.</summary>
    public string? OutputFormat() => OptionalChoice("format", Formats.ImageFormat.RequestNames);

    public string RequireString(string name) =>
        OptionalString(name) ?? throw new PermanentJobException($"Parameter '{name}' is required.");

    public string? OptionalString(string name)
    {
        var node = _parameters[name];
        if (node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String || node.GetValue<string>() is not { Length: > 0 } text)
        {
            throw new PermanentJobException($"Parameter '{name}' must be a non-empty string; got {node.ToJsonString()}.");
        }

        return text;
    }

    public int? OptionalInt(string name, int min, int max)
    {
        var node = _parameters[name];
        if (node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<int>(out var value) || value < min || value > max)
        {
            throw new PermanentJobException($"Parameter '{name}' must be a whole number from {min} to {max}; got {node.ToJsonString()}.");
        }

        return value;
    }

    public bool? OptionalBool(string name)
    {
        var node = _parameters[name];
        if (node is null)
        {
            return null;
        }

        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new PermanentJobException($"Parameter '{name}' must be true or false; got {node.ToJsonString()}."),
        };
    }

    public string? OptionalChoice(string name, IReadOnlyCollection<string> allowed)
    {
        var text = OptionalString(name);
        if (text is not null && !allowed.Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            throw new PermanentJobException($"Parameter '{name}' must be one of {string.Join(", ", allowed)}; got '{text}'.");
        }

        return text?.ToLowerInvariant();
    }

    public IReadOnlyList<string> OptionalChoices(string name, IReadOnlyCollection<string> allowed)
    {
        var node = _parameters[name];
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            throw new PermanentJobException($"Parameter '{name}' must be an array of strings; got {node.ToJsonString()}.");
        }

        var result = new List<string>();
        foreach (var item in array)
        {
            if (item?.GetValueKind() != JsonValueKind.String || !allowed.Contains(item.GetValue<string>(), StringComparer.OrdinalIgnoreCase))
            {
                throw new PermanentJobException($"Parameter '{name}' may only hold {string.Join(", ", allowed)}; got {item?.ToJsonString() ?? "null"}.");
            }

            result.Add(item.GetValue<string>().ToLowerInvariant());
        }

        return result;
    }
}
