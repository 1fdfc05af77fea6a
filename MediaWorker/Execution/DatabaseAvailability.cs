using MediaWorker.Execution.Writing;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Execution;

/// <summary>
/// Whether the worker's database can be written, from every failure the worker's database work
/// reports. The first failure of a spell is logged once, with its cause; claiming stops and the
/// claim loop probes with backoff until a real write succeeds, then says that claiming resumed.
/// A database that was deleted or replaced never comes back: that is logged once as an error and
/// fires <see cref="Lost"/>, on which the worker stops and exits non-zero, so that a supervisor
/// starts a worker on the file that is at the path now.
/// </summary>
public sealed class DatabaseAvailability(DatabaseFileGuard guard, RetryBackoff backoff, ILogger logger, TimeProvider time) : IDisposable
{
    // SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN: the write did not reach the disk.
    private static readonly HashSet<int> WriteFailureCodes = [3, 8, 10, 13, 14];
    private readonly CancellationTokenSource _lost = new();
    private readonly Lock _lock = new();
    private volatile bool _unwritable;
    private int _probes;

    /// <summary>Fires once when the database file was deleted or replaced under the worker.</summary>
    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>True from the first failed write until a write succeeds again; no jobs are claimed meanwhile.</summary>
    public bool IsUnwritable => _unwritable;

    /// <summary>Throws, without touching SQLite, when the database must not be read or written now.</summary>
    /// <exception cref="DatabaseFileException">The database is gone, replaced or unwritable.</exception>
    public void ThrowIfUnsafe() => guard.ThrowIfUnsafe();

    /// <summary>Takes note of a failed database call.</summary>
    /// <returns>True when the failure is the database being gone or unwritable: it is logged here, once per spell.</returns>
    public bool Report(Exception exception)
    {
        var error = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        if (!IsWriteFailure(error))
        {
            return false;
        }

        // SQLite's own words ("disk I/O error") do not say why; the files usually do.
        var problem = error is DatabaseFileException file ? file.Problem : guard.Check();
        lock (_lock)
        {
            if (problem is { IsLost: true })
            {
                if (!IsLost)
                {
                    logger.LogError(
                        "The job database is gone: {Cause}. This worker still holds the old file open and will not write to it; stopping, and exiting with code 1 so that a supervisor restarts it on the database now at {Path}.",
                        problem.Cause,
                        guard.DatabasePath);
                    _lost.Cancel();
                }

                return true;
            }

            if (!_unwritable)
            {
                _unwritable = true;
                _probes = 0;
                logger.LogError(
                    "The job database cannot be written: {Cause}. Stopped claiming jobs; checking again with backoff and resuming as soon as a write succeeds.",
                    problem?.Cause ?? DescribeSqliteFailure(error));
            }
        }

        return true;
    }

    /// <summary>
    /// While the database is unwritable: waits the next backoff delay, then tries a write that
    /// changes nothing, until one succeeds, the database is lost, or <paramref name="stopping"/> fires.
    /// </summary>
    public async Task WaitUntilWritableAsync(DatabaseWriter database, CancellationToken stopping)
    {
        while (_unwritable && !IsLost && !stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(backoff.Delay(++_probes), time, stopping);
                await database.InvokeAsync((session, _) =>
                {
                    WriteProbe.Run(session.Connection);
                    return true;
                });
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                if (!Report(ex))
                {
                    logger.LogWarning(ex, "Checking whether the job database can be written failed; checking again.");
                }

                continue;
            }

            _unwritable = false;
            logger.LogInformation("The job database {Path} can be written again; claiming resumed.", guard.DatabasePath);
        }
    }

    public void Dispose() => _lost.Dispose();

    /// <summary>For a write that failed while the files looked writable: an I/O error, a full disk, a filesystem gone bad.</summary>
    private string DescribeSqliteFailure(Exception error) => error is SqliteException sqlite
        ? string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{guard.DatabasePath}: SQLite could not write it ({sqlite.Message.TrimEnd('.')}, extended code {sqlite.SqliteExtendedErrorCode}); check free space and whether the filesystem went read-only (/proc/mounts, dmesg)")
        : $"{guard.DatabasePath}: {error.Message}";

    private static bool IsWriteFailure(Exception error) =>
        error is DatabaseFileException || error is SqliteException sqlite && WriteFailureCodes.Contains(sqlite.SqliteErrorCode);
}
