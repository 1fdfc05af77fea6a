using System.Diagnostics;
using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

namespace MediaWorker.Storage;

/// <summary>
/// A <c>BEGIN IMMEDIATE</c> transaction whose wait for the write lock is ours, not SQLite's.
/// </summary>
/// <remarks>
/// The bundled e_sqlite3 (SQLitePCLRaw 2.0.6) is built without <c>usleep</c>, so SQLite's own busy
/// handler sleeps in whole seconds: one collision between two processes would cost a second of
/// latency. Connections therefore run with <c>busy_timeout = 0</c> and this type retries BEGIN
/// IMMEDIATE with sub-millisecond-to-1-ms backoff until <c>DATABASE_BUSY_TIMEOUT</c>. Once the write
/// lock is held, nothing inside the transaction can be busy in WAL mode. Commands inside run with
/// no <see cref="SqliteTransaction"/> object: SQLite tracks the transaction per connection.
/// </remarks>
public sealed class WriteTransaction : IDisposable
{
    private readonly SqliteConnection _connection;
    private bool _finished;

    private WriteTransaction(SqliteConnection connection) => _connection = connection;

    /// <summary>Takes the write lock, waiting up to the connection's busy timeout.</summary>
    /// <exception cref="SqliteException">SQLITE_BUSY when the lock stayed taken for the whole timeout.</exception>
    public static WriteTransaction Begin(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var timeout = TimeSpan.FromSeconds(Math.Max(1, connection.DefaultTimeout));
        var clock = Stopwatch.StartNew();
        var spins = 0;
        while (true)
        {
            var rc = sqlite3_exec(connection.Handle, "BEGIN IMMEDIATE");
            if (rc == SQLITE_OK)
            {
                return new WriteTransaction(connection);
            }

            if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || clock.Elapsed >= timeout)
            {
                SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            }

            // Another process holds the lock for a short transaction (tens of microseconds): yield
            // first, then sleep a millisecond at a time.
            if (++spins < 20)
            {
                Thread.Yield();
            }
            else
            {
                Thread.Sleep(1);
            }
        }
    }

    public void Commit()
    {
        var rc = sqlite3_exec(_connection.Handle, "COMMIT");
        if (rc != SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }

        _finished = true;
    }

    public void Dispose()
    {
        if (!_finished)
        {
            _finished = true;
            // Fails harmlessly if SQLite already rolled back (e.g. after an I/O error).
            _ = sqlite3_exec(_connection.Handle, "ROLLBACK");
        }
    }
}
