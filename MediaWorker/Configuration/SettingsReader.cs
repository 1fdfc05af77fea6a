using System.Globalization;

namespace MediaWorker.Configuration;

/// <summary>
/// Reads typed values from a <see cref="SettingsSource"/>, collecting every error (with the
/// variable's name and what is allowed) so start-up reports all of them at once.
/// </summary>
public sealed class SettingsReader
{
    private readonly SettingsSource _source;
    private readonly List<string> _errors = [];

    public SettingsReader(SettingsSource source) => _source = source;

    public IReadOnlyList<string> Errors => _errors;

    public string? Optional(string name) => _source.GetValue(name);

    public string Text(string name, string fallback) => _source.GetValue(name) ?? fallback;

    public int WholeNumber(string name, int fallback, int min, int max)
    {
        var raw = _source.GetValue(name);
        if (raw is null)
        {
            return fallback;
        }

        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        _errors.Add($"{name}: '{raw}' is not allowed; use a whole number from {min} to {max}.");
        return fallback;
    }

    /// <summary>Seconds as a decimal number ("0.5", "30").</summary>
    public TimeSpan Seconds(string name, TimeSpan fallback, double min, double max)
    {
        var raw = _source.GetValue(name);
        if (raw is null)
        {
            return fallback;
        }

        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return TimeSpan.FromSeconds(value);
        }

        _errors.Add($"{name}: '{raw}' is not allowed; use a number of seconds from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
        return fallback;
    }

    public string Choice(string name, string fallback, params string[] allowed)
    {
        var raw = _source.GetValue(name);
        if (raw is null)
        {
            return fallback;
        }

        var match = allowed.FirstOrDefault(a => string.Equals(a, raw, StringComparison.OrdinalIgnoreCase));
        if (match is not null)
        {
            return match;
        }

        _errors.Add($"{name}: '{raw}' is not allowed; use one of {string.Join(", ", allowed)}.");
        return fallback;
    }

    public bool Bool(string name, bool fallback)
    {
        var raw = _source.GetValue(name);
        if (raw is null)
        {
            return fallback;
        }

        switch (raw.ToUpperInvariant())
        {
            case "1" or "TRUE" or "YES" or "ON":
                return true;
            case "0" or "FALSE" or "NO" or "OFF":
                return false;
            default:
                _errors.Add($"{name}: '{raw}' is not allowed; use true or false.");
                return fallback;
        }
    }

    public void AddError(string error) => _errors.Add(error);

    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0)
        {
            throw new SettingsException(_errors.ToList());
        }
    }
}
