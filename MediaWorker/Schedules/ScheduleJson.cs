using System.Text.Json.Nodes;

namespace MediaWorker.Schedules;

/// <summary>A schedule as JSON, for <c>schedule list --json</c> and the API: the row, its target as an object, times in ms and ISO 8601.</summary>
public static class ScheduleJson
{
    public static JsonObject ToJson(ScheduleRecord schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        JsonNode? target;
        try
        {
            target = ScheduleTarget.FromJson(schedule.Target).ToJson();
        }
        catch (FormatException)
        {
            target = schedule.Target; // shown as stored; last_error says what is wrong with it
        }

        return new JsonObject
        {
            ["name"] = schedule.Name,
            ["cron"] = schedule.Cron,
            ["time_zone"] = schedule.TimeZone,
            ["catch_up"] = schedule.CatchUp,
            ["paused"] = schedule.IsPaused,
            ["target"] = target,
            ["next_run_at"] = schedule.NextRunAt,
            ["next_run"] = Iso(schedule.NextRunAt),
            ["last_run_at"] = schedule.LastRunAt,
            ["last_run"] = Iso(schedule.LastRunAt),
            ["last_job_id"] = schedule.LastJobId,
            ["last_error"] = schedule.LastError,
            ["created_at"] = schedule.CreatedAt,
            ["updated_at"] = schedule.UpdatedAt,
        };
    }

    private static string? Iso(long? ms) => ms is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at).ToString("yyyy-MM-ddTHH:mm:ss.FFFZ", System.Globalization.CultureInfo.InvariantCulture) : null;
}
