using System.Globalization;

namespace MediaWorker.Cli;

/// <summary>Durations on the command line: "90" (seconds), "90s", "15m", "2h", "7d", "1.5h".</summary>
public static class DurationParser
{
    public static TimeSpan Parse(string text, string optionName)
    {
        var trimmed = text.Trim();
        var unit = trimmed.Length > 0 && char.IsLetter(trimmed[^1]) ? char.ToLowerInvariant(trimmed[^1]) : 's';
        var number = char.IsLetter(trimmed.Length > 0 ? trimmed[^1] : '0') ? trimmed[..^1] : trimmed;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw new UsageException($"{optionName}: '{text}' is not a duration; use e.g. 90s, 15m, 2h or 7d.");
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => throw new UsageException($"{optionName}: '{text}' has an unknown unit '{unit}'; use s, m, h or d."),
        };
    }

    /// <summary>A point in time: an ISO 8601 timestamp, or a duration from now ("30s", "5m").</summary>
    public static DateTimeOffset ParseTime(string text, string optionName, DateTimeOffset now) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && text.Contains('-', StringComparison.Ordinal)
            ? at
            : now + Parse(text, optionName);
}
