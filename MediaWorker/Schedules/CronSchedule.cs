using Cronos;
using MediaWorker.Cli;

namespace MediaWorker.Schedules;

/// <summary>
/// A cron expression in a time zone (Cronos). Five fields (minute hour day month weekday) or six
/// with seconds first; macros such as <c>@daily</c> and <c>@every_second</c>. Occurrences are
/// computed in the zone, so <c>0 3 * * *</c> in Europe/Berlin is 03:00 local time all year, and
/// daylight-saving changes follow Cronos's rules (docs/schedules.md).
/// </summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(CronExpression expression, string text, TimeZoneInfo zone)
    {
        _expression = expression;
        Expression = text;
        Zone = zone;
    }

    /// <summary>The expression as given (trimmed).</summary>
    public string Expression { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>The zone's IANA id (UTC when none was given).</summary>
    public string ZoneId => Zone.Id;

    /// <summary>Parses and checks; a <see cref="UsageException"/> names what is wrong.</summary>
    public static CronSchedule Parse(string? expression, string? timeZone)
    {
        var text = (expression ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            throw new UsageException("The cron expression is empty; give one such as '*/5 * * * *' (every 5 minutes) or '0 3 * * *' (03:00 daily).");
        }

        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        var format = fields switch
        {
            6 => CronFormat.IncludeSeconds,
            5 => CronFormat.Standard,
            1 when text.StartsWith('@') => CronFormat.Standard,
            _ => throw new UsageException(
                $"The cron expression '{text}' has {fields} field(s); give 5 (minute hour day-of-month month day-of-week) or 6 (with seconds first), or a macro such as @hourly."),
        };

        CronExpression parsed;
        try
        {
            parsed = CronExpression.Parse(text, format);
        }
        catch (CronFormatException ex)
        {
            throw new UsageException($"The cron expression '{text}' is not valid: {ex.Message}", ex);
        }

        var schedule = new CronSchedule(parsed, text, FindZone(timeZone));
        return schedule;
    }

    /// <summary>The IANA zone, or UTC for null or empty.</summary>
    public static TimeZoneInfo FindZone(string? timeZone)
    {
        var id = timeZone?.Trim();
        if (string.IsNullOrEmpty(id) || id == "UTC")
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new UsageException($"The time zone '{id}' is not known on this machine; use an IANA name such as Europe/Berlin, America/New_York or UTC (the tzdata package provides them).", ex);
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>; null when there is none (e.g. 30 February).</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => _expression.GetNextOccurrence(after, Zone, inclusive: false);

    /// <summary>The last occurrence strictly before <paramref name="before"/>; null when there is none.</summary>
    public DateTimeOffset? LastBefore(DateTimeOffset before) => _expression.GetPreviousOccurrence(before, Zone, inclusive: false);

    /// <summary>Occurrences from <paramref name="from"/> to <paramref name="to"/>, both included, oldest first.</summary>
    public IEnumerable<DateTimeOffset> Between(DateTimeOffset from, DateTimeOffset to) =>
        from > to ? [] : _expression.GetOccurrences(from, to, Zone, fromInclusive: true, toInclusive: true);
}
