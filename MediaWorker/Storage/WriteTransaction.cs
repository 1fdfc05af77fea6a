using System.Data.Common;
using System.Runtime.CompilerServices;
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
/// On PostgreSQL it is an ordinary READ COMMITTED transaction (claims lock rows with
/// <c>FOR UPDATE SKIP LOCKED</c> instead of the whole database); Npgsql runs every command of the
/// connection inside it.
/// </remarks>
public sealed class WriteTransaction : IDisposable
{
    /// <summary>The open transaction of each non-SQLite connection, so that a nested Begin joins it.</summary>
    private static readonly ConditionalWeakTable<DbConnection, DbTransaction> Open = new();

    private readonly SqliteConnection? _connection;
    private readonly DbConnection? _other;
    private readonly DbTransaction? _transaction;
    private bool _finished;

    private WriteTransaction(SqliteConnection connection, bool joined)
    {
        _connection = connection;
        _finished = joined;
    }

    private WriteTransaction(DbConnection connection, DbTransaction? transaction)
    {
        _other = connection;
        _transaction = transaction;
        _finished = transaction is null;
    }

    /// <summary>
    /// Takes the write lock, waiting up to the connection's busy_timeout. Inside a transaction the
    /// caller already holds (the worker's batched writes), it joins that one: Commit and Dispose
    /// leave it to its owner.
    /// </summary>
    /// <exception cref="DatabaseBusyException">The lock stayed taken for the whole timeout.</exception>
    public static WriteTransaction Begin(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is SqliteConnection sqlite)
        {
            return Begin(sqlite);
        }

        if (Open.TryGetValue(connection, out _))
        {
            return new WriteTransaction(connection, transaction: null);
        }

        var transaction = connection.BeginTransaction();
        Open.AddOrUpdate(connection, transaction);
        return new WriteTransaction(connection, transaction);
    }

    private static WriteTransaction Begin(SqliteConnection connection)
    {
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

        if (_transaction is not null)
        {
            _finished = true;
            Open.Remove(_other!);
            try
            {
                _transaction.Commit();
            }
            finally
            {
                _transaction.Dispose();
            }

            return;
        }

        // COMMIT can be busy only while readers block a checkpoint-on-commit in rollback-journal mode;
        // in WAL it is not, but any failure surfaces the same way.
        var rc = sqlite3_exec(_connection!.Handle, "COMMIT");
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
            if (_transaction is not null)
            {
                Open.Remove(_other!);
                RollBack(_transaction);
                return;
            }

            // Fails harmlessly if SQLite already rolled back (e.g. after an I/O error).
            _ = sqlite3_exec(_connection!.Handle, "ROLLBACK");
        }
    }

    /// <summary>A rollback on a connection the server dropped fails; the server has rolled back already.</summary>
    private static void RollBack(DbTransaction transaction)
    {
        try
        {
            transaction.Rollback();
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or IOException)
        {
        }
        finally
        {
            transaction.Dispose();
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
