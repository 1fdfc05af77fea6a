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
    IWorkerBroadcaster broadcaster,
    TimeSpan lease,
    string workerId,
    Func<long> clock,
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
                if (active.IsEmpty)
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
                        CheckCancellations(reader);
                    }
                }
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
                {
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
            broadcaster.PublishJobEvent(new JobEvent(job.Job.JobId, JobEventType.Progress, job.Job.TaskType, workerId, now, values[i].Progress, job.Job.Attempt));
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
