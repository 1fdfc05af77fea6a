using MediaWorker.Execution;
using MediaWorker.Execution.Writing;
using MediaWorker.Storage;
using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Schedules;

/// <summary>
/// Runs in every worker: sleeps until the earliest schedule is due (looking again at least every
/// <see cref="Refresh"/>, so a schedule added from another process is seen), then starts the due
/// occurrences on the single writer. Several workers may do this for the same occurrence: the
/// IMMEDIATE transaction lets one of them move the schedule on, and the occurrence's idempotency
/// key keeps its job unique even where transactions overlap (<see cref="ScheduleFiring"/>).
/// </summary>
public sealed class ScheduleLoop(
    DatabaseWriter database,
    IJobStore connections,
    DatabaseAvailability availability,
    TimeSpan misfireGrace,
    TimeProvider time,
    ILogger logger) : BackgroundService
{
    /// <summary>How long a new or changed schedule can go unseen; one indexed read per worker each time.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DbConnection? reader = null;
        var failing = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = Refresh;
                if (!availability.IsUnwritable && !availability.IsLost)
                {
                    try
                    {
                        reader ??= connections.Open();
                        wait = await PassAsync(reader);
                        if (failing)
                        {
                            failing = false;
                            logger.LogInformation("Schedules are checked again.");
                        }
                    }
                    catch (Exception ex) when (ex is DbException or DatabaseBusyException or IOException)
                    {
                        reader?.Dispose();
                        reader = null;
                        if (!availability.Report(ex) && !failing)
                        {
                            failing = true;
                            logger.LogWarning(ex, "Checking the schedules failed; trying again every {Seconds} s. Occurrences late by less than SCHEDULE_MISFIRE_GRACE still run.", Refresh.TotalSeconds);
                        }
                    }
                }

                await Task.Delay(wait, time, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            reader?.Dispose();
        }
    }

    /// <summary>One look: starts what is due; returns how long to sleep before the next look.</summary>
    private async Task<TimeSpan> PassAsync(DbConnection reader)
    {
        var due = ScheduleStore.NextDueAt(reader);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (due is { } at && at <= now)
        {
            var reports = await database.InvokeAsync((session, nowMs) => ScheduleFiring.FireDue(session.Connection, nowMs, misfireGrace));
            foreach (var report in reports)
            {
                Log(report);
            }

            due = ScheduleStore.NextDueAt(reader);
            now = time.GetUtcNow().ToUnixTimeMilliseconds();
        }

        if (due is not { } next)
        {
            return Refresh;
        }

        var untilDue = TimeSpan.FromMilliseconds(Math.Max(0, next - now));
        return untilDue < Refresh ? untilDue : Refresh;
    }

    private void Log(FiringReport report)
    {
        if (report.Error is not null)
        {
            logger.LogWarning("{Error}", report.Error);
            return;
        }

        if (report.MissedUntil is { } until)
        {
            logger.LogWarning(
                "Schedule {Schedule}: occurrences from {From:u} to {Until:u} were missed for longer than SCHEDULE_MISFIRE_GRACE (no worker ran them); catch-up {CatchUp}: {What}.",
                report.Schedule, report.MissedFrom, until, CatchUpPolicies.Name(report.CatchUp),
                report.CatchUp == CatchUpPolicy.RunOnce ? "the latest runs once" : "skipped");
        }

        foreach (var started in report.Started.Where(s => s.Created))
        {
            logger.LogInformation("Schedule {Schedule}: occurrence {Occurrence:u} submitted job {JobId}.", report.Schedule, started.Occurrence, started.Id);
        }
    }
}
