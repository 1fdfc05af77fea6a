using MediaWorker.Pipelines.Runs;
using System.Diagnostics;
using System.Globalization;
using MediaWorker.Cli;
using MediaWorker.Storage;
using System.Data.Common;

namespace MediaWorker.Schedules;

/// <summary>One occurrence started: when it was due, and the job (or run) it made.</summary>
/// <param name="Occurrence">The occurrence's time.</param>
/// <param name="Id">The job id.</param>
/// <param name="Created">False when another worker had started this occurrence already (its key existed).</param>
public sealed record StartedOccurrence(DateTimeOffset Occurrence, string Id, bool Created);

/// <summary>What one pass did for one due schedule.</summary>
/// <param name="Schedule">The schedule's name.</param>
/// <param name="Started">Occurrences started in this pass, oldest first.</param>
/// <param name="MissedFrom">First occurrence missed past the grace, when any were.</param>
/// <param name="MissedUntil">Last occurrence missed past the grace.</param>
/// <param name="CatchUp">The schedule's catch-up policy, which decided what the missed ones did.</param>
/// <param name="Error">Why nothing could be started (a bad stored row), or null.</param>
public sealed record FiringReport(string Schedule, IReadOnlyList<StartedOccurrence> Started, DateTimeOffset? MissedFrom, DateTimeOffset? MissedUntil, CatchUpPolicy CatchUp, string? Error);

/// <summary>
/// Starts the due occurrences of every active schedule, inside the caller's write transaction.
/// Each occurrence is a job whose idempotency key is <see cref="IdempotencyKey"/>: however many
/// workers run this at once, and whatever crashes in between, the unique index lets one job per
/// schedule and occurrence exist. Occurrences late by up to <c>grace</c> all run; older ones are
/// missed and follow the schedule's <see cref="CatchUpPolicy"/>.
/// </summary>
public static class ScheduleFiring
{
    private const int MaxSchedulesPerPass = 100;
    private static readonly TimeSpan BadRowRetry = TimeSpan.FromMinutes(1);

    public static IReadOnlyList<FiringReport> FireDue(DbConnection connection, long nowMs, TimeSpan grace) =>
        ScheduleStore.Due(connection, nowMs, MaxSchedulesPerPass).Select(s => Fire(connection, s, nowMs, grace)).ToList();

    /// <summary>The key of one occurrence, e.g. <c>schedule:nightly@2026-12-01T03:00:00Z</c>; readable in <c>mediaworker job</c>.</summary>
    public static string IdempotencyKey(string schedule, DateTimeOffset occurrence) =>
        string.Create(CultureInfo.InvariantCulture, $"schedule:{schedule}@{occurrence.UtcDateTime:yyyy-MM-ddTHH:mm:ss.FFF}Z");

    private static FiringReport Fire(DbConnection connection, ScheduleRecord schedule, long nowMs, TimeSpan grace)
    {
        var expected = schedule.NextRunAt ?? throw new UnreachableException("a due schedule has a next run");
        CronSchedule cron;
        ScheduleTarget target;
        CatchUpPolicy policy;
        try
        {
            cron = CronSchedule.Parse(schedule.Cron, schedule.TimeZone);
            target = ScheduleTarget.FromJson(schedule.Target);
            policy = CatchUpPolicies.Parse(schedule.CatchUp);
        }
        catch (Exception ex) when (ex is UsageException or FormatException)
        {
            // A row written by hand or by a newer version: say why, and look again in a minute rather than every second.
            var error = $"Schedule '{schedule.Name}' cannot start its occurrences: {ex.Message.TrimEnd('.')}. Fix it with 'mediaworker schedule add {schedule.Name} --replace ...'.";
            ScheduleStore.Advance(connection, schedule.Name, expected, nowMs + (long)BadRowRetry.TotalMilliseconds, null, null, error, nowMs);
            return new FiringReport(schedule.Name, [], null, null, CatchUpPolicy.Skip, error);
        }

        var now = DateTimeOffset.FromUnixTimeMilliseconds(nowMs);
        var first = DateTimeOffset.FromUnixTimeMilliseconds(expected);
        var onTimeFrom = first > now - grace ? first : now - grace;
        var runs = new List<DateTimeOffset>();
        DateTimeOffset? missedFrom = null;
        DateTimeOffset? missedUntil = null;
        if (first < onTimeFrom && cron.LastBefore(onTimeFrom) is { } lastMissed && lastMissed >= first)
        {
            missedFrom = first;
            missedUntil = lastMissed;
            if (policy == CatchUpPolicy.RunOnce)
            {
                runs.Add(lastMissed);
            }
        }

        runs.AddRange(cron.Between(onTimeFrom, now));
        var started = runs.ConvertAll(at => Start(connection, schedule.Name, target, at, nowMs));
        var next = cron.NextAfter(now);
        ScheduleStore.Advance(
            connection, schedule.Name, expected, next?.ToUnixTimeMilliseconds(),
            started.Count > 0 ? started[^1].Occurrence.ToUnixTimeMilliseconds() : null, started.Count > 0 ? started[^1].Id : null, null, nowMs);
        return new FiringReport(schedule.Name, started, missedFrom, missedUntil, policy, null);
    }

    /// <summary>Where each target kind is started, inside the firing's transaction and under the occurrence's key.</summary>
    private static StartedOccurrence Start(DbConnection connection, string schedule, ScheduleTarget target, DateTimeOffset occurrence, long nowMs)
    {
        var key = IdempotencyKey(schedule, occurrence);
        var (id, created) = target switch
        {
            JobTarget job => JobSubmitter.Insert(
                connection,
                new NewJob(job.TaskType, job.ParamsJson)
                {
                    Priority = job.Priority,
                    MaxRetries = job.MaxRetries,
                    TimeoutSeconds = job.TimeoutSeconds,
                    IdempotencyKey = key,
                    CreatedBy = "schedule:" + schedule,
                },
                nowMs),
            PipelineTarget run => PipelineRuns.Start(connection, run.Pipeline, run.InputJson, key, nowMs, "schedule:" + schedule),
            _ => throw new UnreachableException($"target kind {target.Kind} has no starter"),
        };
        return new StartedOccurrence(occurrence, id, created);
    }
}
