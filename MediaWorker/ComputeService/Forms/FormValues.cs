using System.Globalization;
using MediaWorker.ComputeService.Responses;

namespace MediaWorker.ComputeService.Forms;

/// <summary>
/// Typed reads of a form's text fields with FastAPI's (pydantic's) rules and messages: every
/// problem is collected in <see cref="Errors"/> so one 422 names them all.
/// </summary>
public sealed class FormValues(IReadOnlyDictionary<string, string> fields)
{
    public FieldErrors Errors { get; } = new();

    public string? Text(string name) => fields.TryGetValue(name, out var value) ? value : null;

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; <paramref name="fallback"/> when absent.</summary>
    public int? WholeNumber(string name, int? fallback, int min, int max)
    {
        var raw = Text(name);
        if (raw is null || (raw.Length == 0 && fallback is null))
        {
            return fallback;
        }

        if (!int.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Errors.Add(name, "int_parsing", "Input should be a valid integer, unable to parse string as an integer", raw);
            return fallback;
        }

        if (value < min)
        {
            Errors.Add(name, min == 1 ? "greater_than" : "greater_than_equal", min == 1 ? "Input should be greater than 0" : $"Input should be greater than or equal to {min}", raw);
            return fallback;
        }

        if (value > max)
        {
            Errors.Add(name, "less_than_equal", $"Input should be less than or equal to {max}", raw);
            return fallback;
        }

        return value;
    }

    /// <summary>pydantic's booleans: true/false, 1/0, yes/no, on/off, t/f, y/n (any case).</summary>
    public bool Boolean(string name, bool fallback)
    {
        var raw = Text(name);
        if (raw is null)
        {
            return fallback;
        }

        switch (raw.Trim().ToUpperInvariant())
        {
            case "1" or "TRUE" or "T" or "YES" or "Y" or "ON":
                return true;
            case "0" or "FALSE" or "F" or "NO" or "N" or "OFF":
                return false;
            default:
                Errors.Add(name, "bool_parsing", "Input should be a valid boolean, unable to interpret input", raw);
                return fallback;
        }
    }

    /// <summary>One of <paramref name="allowed"/> (exact, as a Python Literal); a missing required field is reported.</summary>
    public string? Choice(string name, IReadOnlyList<string> allowed, string? fallback)
    {
        var raw = Text(name);
        if (raw is null)
        {
            if (fallback is null)
            {
                Errors.Missing(name);
            }

            return fallback;
        }

        if (allowed.Contains(raw, StringComparer.Ordinal))
        {
            return raw;
        }

        var names = allowed.Select(a => $"'{a}'").ToList();
        var list = names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1];
        Errors.Add(name, "literal_error", $"Input should be {list}", raw);
        return fallback;
    }
}
