using System.Collections.Concurrent;
using System.Diagnostics;
using MediaWorker.Concurrency;
using MediaWorker.Execution.Writing;
using MediaWorker.Plugins;
using MediaWorker.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Execution;

/// <summary>
/// Claims jobs while slots are free and starts them. It sleeps on a <see cref="WakeSignal"/> set by
/// a commit from any process (the WAL watch, or PostgreSQL's NOTIFY), a slot freeing up or a plugin appearing; the poll
/// interval bounds the sleep. Stopping this loop stops claiming; running jobs carry on.
/// </summary>
public sealed class ClaimLoop(
    DatabaseWriter database,
    SlotPool slots,
    ServedTasks served,
    TaskCatalog catalog,
    ConcurrentDictionary<string, ActiveJob> active,
    JobRunner runner,
    WakeSignal wake,
    TimeSpan pollInterval,
    TimeSpan lease,
    string workerId,
    TimeProvider time,
    Action stateChanged,
    DatabaseAvailability availability,
    ILogger logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Task, bool> _running = new();
    private bool _databaseFailing;
    private bool _lastClaimWasEmpty = true;

    /// <summary>How long each claim took, from asking the writer to having the jobs (lock wait included).</summary>
    public LatencyHistogram ClaimWait { get; } = new();

    /// <summary>Tasks of the jobs started and not yet finished.</summary>
    public ICollection<Task> Running => _running.Keys;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (availability.IsUnwritable)
            {
                await availability.WaitUntilWritableAsync(database, stoppingToken);
                continue;
            }

            var (allowances, free) = slots.Allowances(served.Current, catalog.Current);
            if (free > 0 && free < slots.Capacity / 4 && slots.Active > 0 && !_lastClaimWasEmpty)
            {
                // Slots free up one job at a time; under load, one yield lets a few of them gather so
                // one claim starts many jobs instead of one each.
                await Task.Yield();
                (allowances, free) = slots.Allowances(served.Current, catalog.Current);
            }

            if (free > 0 && allowances.Count > 0)
            {
                var claimed = await TryClaimAsync(new ClaimRequest(workerId, allowances, free, lease));
                _lastClaimWasEmpty = claimed.Count == 0;
                foreach (var job in claimed)
                {
                    Start(job);
                }

                if (claimed.Count > 0)
                {
                    stateChanged();
                }

                if (claimed.Count == free && !_databaseFailing)
                {
                    // Every free slot was filled: there may be more waiting, look again once a slot frees.
                    continue;
                }
            }

            await wake.WaitAsync(pollInterval, time, stoppingToken);
        }
    }

    private async Task<IReadOnlyList<ClaimedJob>> TryClaimAsync(ClaimRequest request)
    {
        try
        {
            var asked = Stopwatch.GetTimestamp();
            var claimed = await database.ClaimAsync(request);
            var waited = Stopwatch.GetElapsedTime(asked);
            ClaimWait.Record(waited);
            Telemetry.WorkerMetrics.ClaimDuration.Record(waited.TotalSeconds);
            if (_databaseFailing)
            {
                _databaseFailing = false;
                logger.LogInformation("The job database is reachable again; claiming resumed.");
            }

            return claimed;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or DatabaseBusyException or InvalidOperationException)
        {
            if (availability.Report(ex))
            {
                return [];
            }

            if (!_databaseFailing)
            {
                _databaseFailing = true;
                logger.LogError(ex, "Claiming jobs failed; retrying every WORKER_POLL_INTERVAL until the database answers.");
            }

            return [];
        }
    }

    private void Start(ClaimedJob job)
    {
        // The slot is the handler's: it frees as soon as the handler has returned, so the next claim
        // is already queued behind the outcome's write instead of waiting for its commit (at one slot,
        // 1.15-1.4x the jobs per second in benchmarks/queue/drain.sh: BENCHMARKS.md).
        var slotHeld = 1;
        void FreeSlot()
        {
            if (Interlocked.Exchange(ref slotHeld, 0) == 1)
            {
                slots.Release(job.TaskType);
                wake.Set();
            }
        }

        var activeJob = new ActiveJob(job, time, FreeSlot);
        slots.Take(job.TaskType);
        active[job.JobId] = activeJob;
        var task = Task.Run(() => runner.RunOneAsync(activeJob));
        _running[task] = true;
        _ = task.ContinueWith(
            finished =>
            {
                active.TryRemove(job.JobId, out _);
                FreeSlot();
                activeJob.Dispose();
                _running.TryRemove(finished, out _);
                if (finished.Exception is { } error)
                {
                    logger.LogError(error, "The runner of job {JobId} failed unexpectedly.", job.JobId);
                }

                stateChanged();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
