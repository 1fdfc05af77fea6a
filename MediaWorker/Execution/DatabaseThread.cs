using System.Collections.Concurrent;
using MediaWorker.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Execution;

/// <summary>The writer connection and the statements prepared on it, owned by <see cref="DatabaseThread"/>.</summary>
public sealed class WriterSession(SqliteConnection connection) : IDisposable
{
    public SqliteConnection Connection { get; } = connection;
    public JobClaimer Claimer { get; } = new(connection);
    public LeasedJobWriter Writer { get; } = new(connection);

    public void Dispose()
    {
        Claimer.Dispose();
        Writer.Dispose();
        Connection.Dispose();
    }
}

/// <summary>
/// A dedicated thread that owns the worker's write connection. SQLite calls block (and wait for the
/// write lock up to busy_timeout), so they run here rather than on thread-pool threads; callers
/// await the result. Work items queue while one runs, which is what lets outcomes be written in
/// groups (one transaction for many jobs).
/// </summary>
public sealed class DatabaseThread : IDisposable
{
    private const int MaxBusyRetries = 20;
    private readonly BlockingCollection<Action<WriterSession>> _work = new();
    private readonly Thread _thread;
    private readonly WriterSession _session;
    private readonly ILogger _logger;
    private readonly DatabaseFileGuard? _guard;

    /// <param name="factory">Opens the writer connection.</param>
    /// <param name="logger">For busy retries.</param>
    /// <param name="guard">Checked before every work item: nothing runs against a deleted, replaced or unwritable file.</param>
    public DatabaseThread(SqliteConnectionFactory factory, ILogger logger, DatabaseFileGuard? guard = null)
    {
        _logger = logger;
        _guard = guard;
        _session = new WriterSession(factory.Open());
        _thread = new Thread(Run) { IsBackground = true, Name = "mediaworker-db" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the database thread; a busy database is retried, not surfaced as a failure.</summary>
    public Task<T> InvokeAsync<T>(Func<WriterSession, T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add(session =>
            {
                if (_guard?.Check() is { } problem)
                {
                    completion.SetException(new DatabaseFileException(problem));
                    return;
                }

                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        completion.SetResult(work(session));
                        return;
                    }
                    catch (Exception ex) when (SqliteErrors.IsBusy(ex) && attempt < MaxBusyRetries)
                    {
                        // busy_timeout already waited; count it (the benchmark reports it) and try the
                        // whole transaction again: it was rolled back, so this is safe.
                        SqliteErrors.CountBusy();
                        _logger.LogWarning("The database stayed locked beyond DATABASE_BUSY_TIMEOUT (attempt {Attempt}); retrying.", attempt);
                        Thread.Sleep(Random.Shared.Next(5, 50));
                    }
                    catch (Exception ex)
                    {
                        completion.SetException(ex);
                        return;
                    }
                }
            });
        }
        catch (InvalidOperationException)
        {
            completion.SetException(new ObjectDisposedException(nameof(DatabaseThread)));
        }

        return completion.Task;
    }

    public Task InvokeAsync(Action<WriterSession> work) => InvokeAsync<bool>(session =>
    {
        work(session);
        return true;
    });

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(10));
        if (_guard?.Check() is not null)
        {
            // Closing the last connection checkpoints, which writes the -shm mapping (SIGBUS when it
            // cannot be written) and the database file (perhaps a deleted one): skip that checkpoint.
            ClosingCheckpoint.Disable(_session.Connection);
        }

        _session.Dispose();
        _work.Dispose();
    }

    private void Run()
    {
        foreach (var item in _work.GetConsumingEnumerable())
        {
            item(_session);
        }
    }
}
