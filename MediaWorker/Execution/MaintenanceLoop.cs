using MediaWorker.Configuration;
using MediaWorker.Execution.Writing;
using MediaWorker.Files;
using MediaWorker.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Execution;

/// <summary>
/// Keeps the database small: a WAL checkpoint every <c>DATABASE_CHECKPOINT_INTERVAL</c> and, when
/// <c>JOB_RETENTION</c> is set, a purge of old finished jobs (and their folders) every ten minutes.
/// Both run on the single writer.
/// </summary>
public sealed class MaintenanceLoop(WorkerSettings settings, DatabaseWriter database, DatabaseAvailability availability, TimeProvider time, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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
                        (s, _) => WalCheckpointer.Checkpoint(s.Connection, store.DatabasePath, store.WalSizeLimitBytes), inTransaction: false);
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
