using System.Collections.Concurrent;
using System.Data.Common;
using MediaWorker.Storage;
using MediaWorker.Storage.Postgres;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Http.Api;

/// <summary>
/// Where the operations surface gets its connections, one request at a time. On the SQLite file a
/// few open connections are reused across requests: opening one (file, pragmas) costs more than
/// most queries, and at most <see cref="Kept"/> stay open when idle. On PostgreSQL every lease opens
/// from Npgsql's own pool (<c>DATABASE_POOL_SIZE</c>) and closing gives the connection back to it;
/// a second pool on top would only hide connections from that cap.
/// </summary>
public sealed class DatabaseConnections(IJobStore store) : IDisposable
{
    private const int Kept = 8;
    private readonly ConcurrentBag<DbConnection> _idle = [];
    private readonly bool _reuse = store is SqliteJobStore;

    public IJobStore Store => store;

    /// <summary>A connection for the caller alone until the lease is disposed.</summary>
    public Lease Rent() => new(this, _reuse && _idle.TryTake(out var connection) ? connection : store.Open());

    /// <summary>
    /// Drops idle connections after a failure: after a PostgreSQL restart every pooled connection is
    /// dead, and without this each would fail one more request before the pool noticed.
    /// </summary>
    public void ForgetIdle()
    {
        DisposeIdle();
        if (store is PostgresJobStore postgres)
        {
            postgres.ForgetIdleConnections();
        }
    }

    public void Dispose() => DisposeIdle();

    private void DisposeIdle()
    {
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    private void Return(DbConnection connection)
    {
        if (!_reuse || _idle.Count >= Kept || connection.State != System.Data.ConnectionState.Open || !IsAutocommit((SqliteConnection)connection))
        {
            connection.Dispose();
            return;
        }

        _idle.Add(connection);
    }

    private static bool IsAutocommit(SqliteConnection connection) =>
        connection.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) != 0;

    /// <summary>A rented connection; disposing gives it back (a SQLite one left inside a transaction is closed instead).</summary>
    public readonly struct Lease(DatabaseConnections owner, DbConnection connection) : IDisposable
    {
        public DbConnection Connection => connection;

        public void Dispose() => owner.Return(connection);
    }
}
