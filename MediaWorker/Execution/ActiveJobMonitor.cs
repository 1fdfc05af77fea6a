using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using MediaWorker.Concurrency;
using MediaWorker.Execution.Writing;
using MediaWorker.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Execution;

/// <summary>
/// Looks after the jobs running in this process: renews their leases (every third of the lease),
/// writes their progress at most once a second each (the event goes out after that write), and
/// stops jobs that someone asked to cancel (checked twice a second while jobs run) or whose lease
/// was lost. Every wait is on the worker's <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// It ticks only while jobs run: an idle worker sleeps on <paramref name="jobsChanged"/> (set by
/// whoever starts jobs) instead of waking four times a second for nothing.
/// </remarks>
public sealed class ActiveJobMonitor(
    ConcurrentDictionary<string, ActiveJob> active,
    WakeSignal jobsChanged,
    DatabaseWriter database,
    IJobStore store,
    TimeSpan lease,
    string workerId,
    TimeProvider time,
    DatabaseAvailability availability,
    ILogger logger) : BackgroundService
{
    /// <summary>How often running jobs are looked at.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    /// <summary>At most one progress write (and event) per job per interval.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan CancelCheckInterval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = store.Open();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (active.IsEmpty)
                {
                    await jobsChanged.WaitAsync(Timeout.InfiniteTimeSpan, time, stoppingToken);
                    continue;
                }

                reader = await WatchRunningJobsAsync(reader, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            reader.Dispose();
        }
    }

    /// <summary>Ticks until no job runs any more; the leases of the jobs just claimed are fresh.</summary>
    /// <returns>The reader connection, a fresh one if PostgreSQL restarted under the old one.</returns>
    private async Task<DbConnection> WatchRunningJobsAsync(DbConnection reader, CancellationToken stoppingToken)
    {
        DateTimeOffset lastRenewal = time.GetUtcNow(), lastCancelCheck = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(Tick, time);
        while (!active.IsEmpty && await timer.WaitForNextTickAsync(stoppingToken))
        {
            // While the database cannot be written, leases cannot be renewed either: they expire
            // and other workers take the jobs over, as after a crash.
            if (active.IsEmpty || availability.IsUnwritable)
            {
                lastRenewal = time.GetUtcNow();
                continue;
            }

            var now = time.GetUtcNow();
            try
            {
                await FlushProgressAsync(now);
                if (now - lastRenewal >= lease / 3)
                {
                    lastRenewal = now;
                    await RenewAsync();
                }

                if (now - lastCancelCheck >= CancelCheckInterval)
                {
                    lastCancelCheck = now;
                    availability.ThrowIfUnsafe(); // even a read may write the -shm index
                    if (reader.State != ConnectionState.Open)
                    {
                        // PostgreSQL restarted: the reader's connection is gone; take a fresh one.
                        reader.Dispose();
                        reader = store.Open();
                    }

                    CheckCancellations(reader);
                }
            }
            catch (Exception ex) when (ex is DbException or DatabaseBusyException or InvalidOperationException or IOException)
            {
                if (availability.Report(ex))
                {
                    continue;
                }

                logger.LogWarning(ex, "Could not update running jobs (leases, progress, cancellations); trying again shortly.");
            }
        }

        return reader;
    }

    private async Task FlushProgressAsync(DateTimeOffset now)
    {
        var changed = active.Values
            .Where(a => a.Progress != a.WrittenProgress && now - a.LastProgressWriteAt >= ProgressInterval && a.StopReason == StopReason.None && !a.IsSettling)
            .ToList();
        if (changed.Count == 0)
        {
            return;
        }

        var values = changed.Select(a => (a.Job, a.Progress)).ToList();
        var held = await database.WriteProgressAsync(values);
        for (var i = 0; i < changed.Count; i++)
        {
            var job = changed[i];
            if (!held[i])
            {
                LeaseLost(job);
                continue;
            }

            job.WrittenProgress = values[i].Progress;
            job.LastProgressWriteAt = now;
        }
    }

    private async Task RenewAsync()
    {
        var jobs = active.Values.Where(a => !a.IsSettling).ToList();
        if (jobs.Count == 0)
        {
            return;
        }

        var held = await database.RenewLeasesAsync(jobs.ConvertAll(j => j.Job), lease);
        for (var i = 0; i < jobs.Count; i++)
        {
            if (!held[i])
            {
                LeaseLost(jobs[i]);
            }
        }
    }

    private void CheckCancellations(DbConnection reader)
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
        // A job whose outcome went to the writer while its renewal was queued is settled, not lost.
        if (job.StopReason == StopReason.None && !job.IsSettling)
        {
            logger.LogWarning("Lost the lease of job {JobId} (another worker reclaimed it, or it was settled); stopping this attempt.", job.Job.JobId);
            job.Stop(StopReason.LeaseLost);
        }
    }
}
