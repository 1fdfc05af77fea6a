using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Structured;

namespace MediaWorker.Plugins.Gemini.Parameters;

/// <summary>
/// Typed reads of a job's parameters. The host has validated them against the task's schema, so
/// these checks are a second line (tests and foreign hosts run handlers without that check); each
/// failure is a permanent error naming the parameter.
/// </summary>
internal sealed class JobParameters(JsonObject values)
{
    public bool Has(string name) => values[name] is not null;

    public string? String(string name) => Read(name, JsonValueKind.String, "a string", n => n.GetValue<string>());

    public string RequiredString(string name) => String(name) ?? throw new PermanentJobException($"The parameter '{name}' is required.");

    public double Number(string name, double fallback, double minimum = double.MinValue, double maximum = double.MaxValue)
    {
        var value = Read(name, JsonValueKind.Number, "a number", n => (double?)JsonNumbers.ToDouble(n)) ?? fallback;
        return value < minimum || value > maximum
            ? throw new PermanentJobException($"The parameter '{name}' is {value}; it must be from {minimum} to {maximum}.")
            : value;
    }

    public int? Integer(string name, int minimum, int maximum)
    {
        var value = Read(name, JsonValueKind.Number, "a whole number", n => (double?)JsonNumbers.ToDouble(n));
        if (value is null)
        {
            return null;
        }

        return value != Math.Floor(value.Value) || value < minimum || value > maximum
            ? throw new PermanentJobException($"The parameter '{name}' is {value}; it must be a whole number from {minimum} to {maximum}.")
            : (int)value;
    }

    public bool Boolean(string name, bool fallback)
    {
        var node = values[name];
        return node is null ? fallback
            : node.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? node.GetValue<bool>()
            : throw new PermanentJobException($"The parameter '{name}' must be true or false.");
    }

    public string Choice(string name, string fallback, params string[] allowed)
    {
        var value = String(name) ?? fallback;
        return allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new PermanentJobException($"The parameter '{name}' is '{value}'; allowed values are {string.Join(", ", allowed)}.");
    }

    public JsonObject? Object(string name) => Read(name, JsonValueKind.Object, "an object", n => (JsonObject)n);

    private T? Read<T>(string name, JsonValueKind kind, string what, Func<JsonNode, T> convert)
    {
        var node = values[name];
        if (node is null)
        {
            return default;
        }

        return node.GetValueKind() == kind ? convert(node) : throw new PermanentJobException($"The parameter '{name}' must be {what}.");
    }
}
