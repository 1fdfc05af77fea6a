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
/// stops jobs that someone asked to cancel or whose lease was lost. Every wait is on the worker's
/// <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>It ticks only while jobs run: an idle worker sleeps on <paramref name="stateChanged"/> instead of
/// waking four times a second for nothing.</para>
/// <para><paramref name="stateChanged"/> is set when jobs start or end here and when another process
/// commits to the database (the <c>-wal</c> watch). A commit is how a cancel request arrives, so
/// cancellations are looked for within <see cref="CancelCheckFloor"/> of one, and on every tick
/// where no such signal exists (PostgreSQL sends no notification for a cancel request).</para>
/// </remarks>
public sealed class ActiveJobMonitor(
    ConcurrentDictionary<string, ActiveJob> active,
    WakeSignal stateChanged,
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

    /// <summary>
    /// The shortest gap between two looks for cancel requests when commits keep arriving: a busy
    /// queue commits thousands of times a second, and each commit would otherwise cost a query.
    /// </summary>
    private static readonly TimeSpan CancelCheckFloor = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = store.Open();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (active.IsEmpty)
                {
                    await stateChanged.WaitAsync(Timeout.InfiniteTimeSpan, time, stoppingToken);
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
        var now = time.GetUtcNow();
        DateTimeOffset lastRenewal = now, lastCancelCheck = DateTimeOffset.MinValue, nextTick = now + Tick;
        DateTimeOffset? cancelCheckDue = null;
        while (!active.IsEmpty && !stoppingToken.IsCancellationRequested)
        {
            if (cancelCheckDue is { } due)
            {
                // A look is already due: further commits until then change nothing, so they are
                // not waited for (on a busy database that would wake this loop per commit).
                await DelayAsync(Until(due < nextTick ? due : nextTick), stoppingToken);
            }
            else if (await stateChanged.WaitAsync(Until(nextTick), time, stoppingToken))
            {
                // Something was committed (perhaps a cancel request): look soon, but not more
                // often than CancelCheckFloor however busy the database is.
                cancelCheckDue = lastCancelCheck + CancelCheckFloor;
            }

            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            now = time.GetUtcNow();
            var ticked = now >= nextTick;
            var checkCancels = ticked || now >= cancelCheckDue;
            if (!ticked && !checkCancels)
            {
                continue;
            }

            if (ticked)
            {
                nextTick = now + Tick;
            }

            // While the database cannot be written, leases cannot be renewed either: they expire
            // and other workers take the jobs over, as after a crash.
            if (active.IsEmpty || availability.IsUnwritable)
            {
                lastRenewal = now;
                continue;
            }

            try
            {
                if (ticked)
                {
                    await FlushProgressAsync(now);
                    if (now - lastRenewal >= lease / 3)
                    {
                        lastRenewal = now;
                        await RenewAsync();
                    }
                }

                if (checkCancels)
                {
                    lastCancelCheck = now;
                    cancelCheckDue = null;
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

    private TimeSpan Until(DateTimeOffset moment)
    {
        var wait = moment - time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private async Task DelayAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
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
