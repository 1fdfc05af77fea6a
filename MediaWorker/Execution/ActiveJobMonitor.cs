using System.Collections.Concurrent;
using MediaWorker.Messaging;
using MediaWorker.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Execution;

/// <summary>
/// Looks after the jobs running in this process: renews their leases (every third of the lease),
/// writes their progress to the database at most once a second each, announces progress events,
/// and stops jobs that someone asked to cancel (checked twice a second while jobs run) or whose
/// lease was lost.
/// </summary>
public sealed class ActiveJobMonitor(
    ConcurrentDictionary<string, ActiveJob> active,
    DatabaseThread database,
    SqliteConnectionFactory connections,
    JobEventAnnouncer events,
    TimeSpan lease,
    string workerId,
    Func<long> clock,
    DatabaseAvailability availability,
    ILogger logger)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private const long ProgressIntervalMs = 1000;
    private const long CancelCheckIntervalMs = 500;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var reader = connections.Open();
        long lastRenewal = clock(), lastCancelCheck = 0;
        using var timer = new PeriodicTimer(Tick);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // While the database cannot be written, leases cannot be renewed either: they expire
                // and other workers take the jobs over, as after a crash.
                if (active.IsEmpty || availability.IsUnwritable)
                {
                    lastRenewal = clock();
                    continue;
                }

                var now = clock();
                try
                {
                    await FlushProgressAsync(now);
                    if (now - lastRenewal >= lease.TotalMilliseconds / 3)
                    {
                        lastRenewal = now;
                        await RenewAsync(now);
                    }

                    if (now - lastCancelCheck >= CancelCheckIntervalMs)
                    {
                        lastCancelCheck = now;
                        availability.ThrowIfUnsafe(); // even a read may write the -shm index
                        CheckCancellations(reader);
                    }
                }
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
                {
                    if (availability.Report(ex))
                    {
                        continue;
                    }

                    logger.LogWarning(ex, "Could not update running jobs (leases, progress, cancellations); trying again shortly.");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task FlushProgressAsync(long now)
    {
        var changed = active.Values
            .Where(a => a.Progress != a.WrittenProgress && now - a.LastProgressEventAt >= ProgressIntervalMs && a.StopReason == StopReason.None)
            .ToList();
        if (changed.Count == 0)
        {
            return;
        }

        var values = changed.Select(a => (a.Job, a.Progress)).ToList();
        var held = await database.InvokeAsync(session => session.Writer.UpdateProgress(values, now));
        for (var i = 0; i < changed.Count; i++)
        {
            var job = changed[i];
            if (!held[i])
            {
                LeaseLost(job);
                continue;
            }

            job.WrittenProgress = values[i].Progress;
            job.LastProgressEventAt = now;
            events.Progressed(job.Job, values[i].Progress);
        }
    }

    private async Task RenewAsync(long now)
    {
        var jobs = active.Values.ToList();
        var held = await database.InvokeAsync(session => session.Writer.RenewLeases(jobs.Select(j => j.Job).ToList(), now, lease));
        for (var i = 0; i < jobs.Count; i++)
        {
            if (!held[i])
            {
                LeaseLost(jobs[i]);
            }
        }
    }

    private void CheckCancellations(SqliteConnection reader)
    {
        foreach (var jobId in JobAdministration.CancelRequestedFor(reader, workerId))
        {
            if (active.TryGetValue(jobId, out var job) && job.StopReason == StopReason.None)
            {
                logger.LogInformation("Cancel requested for job {JobId}; stopping it.", jobId);
                job.Stop(StopReason.CancelRequested);
            }
        }
    }

    private void LeaseLost(ActiveJob job)
    {
        if (job.StopReason == StopReason.None)
        {
            logger.LogWarning("Lost the lease of job {JobId} (another worker reclaimed it, or it was settled); stopping this attempt.", job.Job.JobId);
            job.Stop(StopReason.LeaseLost);
        }
    }
}
