using MediaWorker.JobRequests;
using System.Data.Common;

namespace MediaWorker.Schedules;

/// <summary>
/// What a person does to schedules, shared by the CLI and the HTTP API: add (or replace), list,
/// look, pause, resume, remove. Refusals are <see cref="JobRequestException"/>s with one-line messages.
/// </summary>
public sealed class ScheduleActions(DbConnection connection, string databasePath, Func<long> clock)
{
    /// <summary>Adds the schedule; with <paramref name="replace"/> an existing one of that name is redefined.</summary>
    public ScheduleRecord Add(ScheduleRequest request, bool replace)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = request.ToRecord(DateTimeOffset.FromUnixTimeMilliseconds(clock()));
        if (request.Pipeline is not null && Pipelines.Runs.PipelineStore.LatestVersion(connection, request.Pipeline.Trim()) is null)
        {
            throw new JobRequestException(JobRequestFailure.NotFound, $"No pipeline '{request.Pipeline.Trim()}' is stored; store it first (mediaworker pipeline run FILE stores the file's pipeline), then add the schedule.");
        }

        if (replace)
        {
            ScheduleStore.Upsert(connection, record);
        }
        else if (!ScheduleStore.Insert(connection, record))
        {
            throw new JobRequestException(JobRequestFailure.Conflict, $"A schedule named '{record.Name}' exists already; remove it first or add --replace.");
        }

        return Find(record.Name);
    }

    public IReadOnlyList<ScheduleRecord> List() => ScheduleStore.List(connection);

    public ScheduleRecord Find(string name) => ScheduleStore.Find(connection, name) ?? throw NotFound(name);

    /// <summary>Stops the schedule's occurrences until it is resumed; pausing a paused one changes nothing.</summary>
    public ScheduleRecord Pause(string name)
    {
        if (!ScheduleStore.SetPaused(connection, name, paused: true, nextRunAt: null, clock()))
        {
            throw NotFound(name);
        }

        return Find(name);
    }

    /// <summary>Starts the schedule again from its next occurrence after now: what was due while paused does not run.</summary>
    public ScheduleRecord Resume(string name)
    {
        var schedule = Find(name);
        if (!schedule.IsPaused)
        {
            return schedule;
        }

        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock());
        var next = CronSchedule.Parse(schedule.Cron, schedule.TimeZone).NextAfter(now);
        ScheduleStore.SetPaused(connection, name, paused: false, next?.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds());
        return Find(name);
    }

    /// <summary>Deletes the schedule; the jobs it submitted stay.</summary>
    public void Remove(string name)
    {
        if (!ScheduleStore.Delete(connection, name))
        {
            throw NotFound(name);
        }
    }

    private JobRequestException NotFound(string name) => new(JobRequestFailure.NotFound, $"No schedule '{name}' in {databasePath}; 'mediaworker schedule list' shows them.");
}
