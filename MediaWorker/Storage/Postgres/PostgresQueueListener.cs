using Microsoft.Extensions.Logging;
using Npgsql;

namespace MediaWorker.Storage.Postgres;

/// <summary>
/// Wakes the claim loop when a job is inserted anywhere: a trigger on <c>jobs</c> sends
/// <c>NOTIFY mediaworker_jobs</c> (see <see cref="PostgresSchema"/>), and this holds one connection
/// in <c>LISTEN</c>. The PostgreSQL counterpart of the SQLite file's WAL watch; the poll interval
/// stays the upper bound. When the connection drops (a server restart), it reconnects with
/// backoff and wakes the loop once, since notifications sent meanwhile are gone.
/// </summary>
public sealed class PostgresQueueListener : IDisposable
{
    /// <summary>The notification channel the jobs trigger sends on.</summary>
    public const string Channel = "mediaworker_jobs";

    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;

    /// <param name="store">Where to listen.</param>
    /// <param name="wake">Called on every notification (and after each reconnect).</param>
    /// <param name="delay">The reconnect backoff: the delay before the n-th attempt in a row.</param>
    /// <param name="logger">Says once when listening fails and once when it works again.</param>
    public PostgresQueueListener(PostgresJobStore store, Action wake, Func<int, TimeSpan> delay, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        _loop = Task.Run(() => ListenAsync(store, wake, delay, logger, _stop.Token));
    }

    /// <summary>Completes once the first LISTEN is in place (tests wait for it before inserting).</summary>
    public Task Listening => _listening.Task;

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task ListenAsync(PostgresJobStore store, Action wake, Func<int, TimeSpan> delay, ILogger logger, CancellationToken stopping)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = (NpgsqlConnection)store.Open();
                connection.Notification += (_, _) => wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping);
                }

                if (failures > 0)
                {
                    logger.LogInformation("Listening for new jobs on PostgreSQL again.");
                }

                failures = 0;
                _listening.TrySetResult();
                wake();
                while (true)
                {
                    await connection.WaitAsync(stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                if (failures++ == 0)
                {
                    logger.LogWarning("Listening for new jobs on PostgreSQL failed ({Error}); reconnecting with backoff, polling meanwhile.", ex.Message);
                }

                store.ForgetIdleConnections();
                try
                {
                    await Task.Delay(delay(failures), stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
