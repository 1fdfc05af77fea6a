using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Speech.Tasks;

/// <summary>
/// Typed reads of a job's parameters. The host has validated them against the task's schema; the
/// reads check types again so a handler run without the host still fails with a message naming
/// the parameter rather than an exception from deep inside.
/// </summary>
internal static class SpeechParameters
{
    public static string? String(JsonObject parameters, string name) => parameters[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw Invalid(name, "must be a string"),
    };

    public static bool Boolean(JsonObject parameters, string name, bool fallback) => parameters[name] switch
    {
        null => fallback,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw Invalid(name, "must be true or false"),
    };

    public static double Number(JsonObject parameters, string name, double fallback, double minimum, double maximum)
    {
        var value = parameters[name] switch
        {
            null => fallback,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => AsDouble(v),
            _ => throw Invalid(name, "must be a number"),
        };
        return value >= minimum && value <= maximum ? value : throw Invalid(name, $"must be from {minimum} to {maximum} (got {value})");
    }

    public static int? Integer(JsonObject parameters, string name, int minimum, int maximum) => parameters[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && AsDouble(v) is var d && d == Math.Floor(d) && d >= minimum && d <= maximum => (int)d,
        _ => throw Invalid(name, $"must be a whole number from {minimum} to {maximum}"),
    };

    public static List<string> Strings(JsonObject parameters, string name) => parameters[name] switch
    {
        JsonArray items when items.All(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String) => [.. items.Select(i => i!.GetValue<string>())],
        null => throw Invalid(name, "is required"),
        _ => throw Invalid(name, "must be an array of strings"),
    };

    public static JsonObject? Object(JsonObject parameters, string name) => parameters[name] switch
    {
        null => null,
        JsonObject o => o,
        _ => throw Invalid(name, "must be an object"),
    };

    // A number parsed from JSON text converts to any numeric type, one built in code (JsonValue.Create(5)) only to its own.
    private static double AsDouble(JsonValue value) => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);

    public static PermanentJobException Invalid(string name, string rule) => new($"Parameter '{name}' {rule}.");
}
