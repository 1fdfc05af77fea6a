using MediaWorker.Configuration;
using MediaWorker.Execution.Writing;
using MediaWorker.Files;
using MediaWorker.Storage;
using MediaWorker.Storage.Postgres;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Execution;

/// <summary>
/// Keeps the database small: a WAL checkpoint every <c>DATABASE_CHECKPOINT_INTERVAL</c> and, when
/// <c>JOB_RETENTION</c> is set, a purge of old finished jobs (and their folders) every ten minutes.
/// Both run on the single writer. On PostgreSQL there is no WAL file to keep small; instead one
/// worker, elected through an advisory lock (<see cref="MaintenanceElection"/>), settles expired
/// leases that must not run again and purges, so a dozen boxes do not all do it. On both, every
/// worker deletes the files that jobs on its machine handed over once they are due
/// (<see cref="FileReleaser"/>).
/// </summary>
public sealed class MaintenanceLoop(WorkerSettings settings, DatabaseWriter database, DatabaseAvailability availability, TimeProvider time, ILogger logger) : BackgroundService
{
    private readonly FileReleaser _releaser = new(database, logger);

    private static readonly TimeSpan RetentionInterval = TimeSpan.FromMinutes(10);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        settings.Store.IsPostgres ? ElectedAsync(stoppingToken) : CheckpointAsync(stoppingToken);

    /// <summary>PostgreSQL: reaping every quarter lease (at most 5 s), retention every ten minutes, by the elected worker only.</summary>
    private async Task ElectedAsync(CancellationToken stoppingToken)
    {
        var election = new MaintenanceElection();
        var leading = false;
        var lastPurge = DateTimeOffset.MinValue;
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(settings.LeaseDuration.TotalMilliseconds / 4, 250, 5000));
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await _releaser.ReleaseDueAsync();
                    var now = time.GetUtcNow();
                    var purgeDue = settings.JobRetention > TimeSpan.Zero && now - lastPurge >= RetentionInterval;
                    var cutoff = (now - settings.JobRetention).ToUnixTimeMilliseconds();
                    var (elected, reaped, purged) = await database.InvokeAsync((s, nowMs) =>
                    {
                        if (!election.TryLead(s.Connection))
                        {
                            return (false, 0, (IReadOnlyList<string>)[]);
                        }

                        return (true, LeaseReaper.Reap(s.Connection, nowMs), purgeDue ? JobAdministration.Purge(s.Connection, cutoff, null) : []);
                    });
                    if (elected != leading)
                    {
                        leading = elected;
                        if (elected)
                        {
                            logger.LogInformation("This worker now runs the shared database's maintenance (lease reaping, retention).");
                        }
                    }

                    if (elected && purgeDue)
                    {
                        lastPurge = now;
                        JobFolders.Delete(settings.ComputeStorageDirectory, purged);
                        if (purged.Count > 0)
                        {
                            logger.LogInformation("Purged {Count} finished job(s) older than JOB_RETENTION.", purged.Count);
                        }
                    }

                    if (reaped > 0)
                    {
                        logger.LogInformation("Settled {Count} job(s) whose worker stopped on their last attempt or while being cancelled.", reaped);
                    }
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException)
                {
                    leading = false;
                    logger.LogDebug(ex, "Database maintenance failed; it runs again at the next interval.");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CheckpointAsync(CancellationToken stoppingToken)
    {
        var store = settings.Store;
        var lastPurge = time.GetUtcNow();
        using var timer = new PeriodicTimer(store.CheckpointInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (availability.IsUnwritable || availability.IsLost)
                {
                    continue; // the claim loop probes until writes work again; a checkpoint meanwhile can only fail
                }

                try
                {
                    var (walBytes, truncated) = await database.InvokeAsync(
                        (s, _) => WalCheckpointer.Checkpoint((Microsoft.Data.Sqlite.SqliteConnection)s.Connection, store.DatabasePath, store.WalSizeLimitBytes), inTransaction: false);
                    await _releaser.ReleaseDueAsync();
                    if (truncated)
                    {
                        logger.LogInformation("The WAL had grown to {Bytes} bytes (limit {Limit}); checkpointed and truncated it.", walBytes, store.WalSizeLimitBytes);
                    }

                    if (settings.JobRetention > TimeSpan.Zero && time.GetUtcNow() - lastPurge >= RetentionInterval)
                    {
                        lastPurge = time.GetUtcNow();
                        var cutoff = (lastPurge - settings.JobRetention).ToUnixTimeMilliseconds();
                        var purged = await database.InvokeAsync((s, _) => JobAdministration.Purge(s.Connection, cutoff, null));
                        JobFolders.Delete(settings.ComputeStorageDirectory, purged);
                        if (purged.Count > 0)
                        {
                            logger.LogInformation("Purged {Count} finished job(s) older than JOB_RETENTION.", purged.Count);
                        }
                    }
                }
                catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or DatabaseBusyException or IOException)
                {
                    if (availability.Report(ex))
                    {
                        continue;
                    }

                    logger.LogWarning(ex, "Database maintenance (checkpoint, retention) failed; it runs again at the next interval.");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
