using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

namespace MediaWorker.Storage;

/// <summary>
/// A <c>BEGIN IMMEDIATE</c> transaction: the write lock is taken before anything is read, so no
/// statement inside can find the database busy (WAL mode), and two writers never deadlock.
/// </summary>
/// <remarks>
/// The only wait for the lock is SQLite's own busy handler (<c>busy_timeout</c>, set first on every
/// connection by <see cref="SqliteConnectionFactory"/>). When it gives up, Begin throws
/// <see cref="DatabaseBusyException"/> and counts it; nothing here retries. The statements run
/// through <c>sqlite3_exec</c> so that commands inside need no <see cref="SqliteTransaction"/>
/// object: SQLite tracks the transaction per connection.
/// </remarks>
public sealed class WriteTransaction : IDisposable
{
    private readonly SqliteConnection _connection;
    private bool _finished;

    private WriteTransaction(SqliteConnection connection, bool joined)
    {
        _connection = connection;
        _finished = joined;
    }

    /// <summary>
    /// Takes the write lock, waiting up to the connection's busy_timeout. Inside a transaction the
    /// caller already holds (the worker's batched writes), it joins that one: Commit and Dispose
    /// leave it to its owner.
    /// </summary>
    /// <exception cref="DatabaseBusyException">The lock stayed taken for the whole timeout.</exception>
    public static WriteTransaction Begin(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (sqlite3_get_autocommit(connection.Handle) == 0)
        {
            return new WriteTransaction(connection, joined: true);
        }

        var rc = sqlite3_exec(connection.Handle, "BEGIN IMMEDIATE");
        if (rc != SQLITE_OK)
        {
            Throw(connection, rc);
        }

        return new WriteTransaction(connection, joined: false);
    }

    public void Commit()
    {
        if (_finished)
        {
            return;
        }

        // COMMIT can be busy only while readers block a checkpoint-on-commit in rollback-journal mode;
        // in WAL it is not, but any failure surfaces the same way.
        var rc = sqlite3_exec(_connection.Handle, "COMMIT");
        if (rc != SQLITE_OK)
        {
            Throw(_connection, rc);
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

    private static void Throw(SqliteConnection connection, int rc)
    {
        if (SqliteConnectionFactory.IsBusy(rc))
        {
            throw SqliteConnectionFactory.Busy(connection, null);
        }

        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }
}
