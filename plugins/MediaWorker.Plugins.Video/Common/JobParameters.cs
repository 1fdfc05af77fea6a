using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Video.Common;

/// <summary>
/// Typed access to a job's parameters. The host has validated them against the schema already;
/// these checks repeat the type rules so a handler run without the host (or a schema slip) still
/// fails with a message naming the parameter instead of an exception from deep inside.
/// </summary>
internal sealed class JobParameters(JsonObject values)
{
    public bool Has(string name) => values[name] is not null;

    public string RequiredString(string name) =>
        OptionalString(name) ?? throw new PermanentJobException($"Parameter '{name}' is required.");

    public string? OptionalString(string name) => values[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is { Length: > 0 } s ? s : throw Invalid(name, "must not be empty"),
        _ => throw Invalid(name, "must be a string"),
    };

    public string Choice(string name, string fallback, IReadOnlyCollection<string> allowed)
    {
        var value = OptionalString(name) ?? fallback;
        return allowed.Contains(value)
            ? value
            : throw Invalid(name, $"must be one of {string.Join(", ", allowed)} (got '{value}')");
    }

    public double? OptionalNumber(string name) => values[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && AsDouble(v) is var d && double.IsFinite(d) => d,
        _ => throw Invalid(name, "must be a number"),
    };

    public double Number(string name, double fallback) => OptionalNumber(name) ?? fallback;

    public int? OptionalInteger(string name) => OptionalNumber(name) switch
    {
        null => null,
        { } d when d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue => (int)d,
        _ => throw Invalid(name, "must be a whole number"),
    };

    public int Integer(string name, int fallback) => OptionalInteger(name) ?? fallback;

    public int IntegerInRange(string name, int fallback, int minimum, int maximum)
    {
        var value = Integer(name, fallback);
        return value >= minimum && value <= maximum ? value : throw Invalid(name, $"must be between {minimum} and {maximum} (got {value})");
    }

    public bool Boolean(string name, bool fallback) => values[name] switch
    {
        null => fallback,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw Invalid(name, "must be true or false"),
    };

    public JsonArray? OptionalArray(string name) => values[name] switch
    {
        null => null,
        JsonArray a => a,
        _ => throw Invalid(name, "must be an array"),
    };

    public JsonObject? OptionalObject(string name) => values[name] switch
    {
        null => null,
        JsonObject o => o,
        _ => throw Invalid(name, "must be an object"),
    };

    /// <summary>A number that must lie in a range (checked here as well as by the schema).</summary>
    public double? OptionalNumberInRange(string name, double minimum, double maximum, bool exclusiveMinimum = false)
    {
        var value = OptionalNumber(name);
        if (value is { } v && (v < minimum || (exclusiveMinimum && v <= minimum) || v > maximum))
        {
            var lower = exclusiveMinimum ? $"greater than {minimum}" : $"at least {minimum}";
            throw Invalid(name, double.IsPositiveInfinity(maximum) ? $"must be {lower} (got {v})" : $"must be {lower} and at most {maximum} (got {v})");
        }

        return value;
    }

    // A parsed document holds JsonElements, a JsonObject built in code holds CLR numbers (int, long, ...): the JSON text reads both.
    private static double AsDouble(JsonValue value) =>
        value.TryGetValue<double>(out var d) ? d : double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    public static PermanentJobException Invalid(string name, string rule) => new($"Parameter '{name}' {rule}.");
}
