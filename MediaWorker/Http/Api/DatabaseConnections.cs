using System.Collections.Concurrent;
using MediaWorker.Storage;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Http.Api;

/// <summary>
/// A few open connections reused across requests: opening one (file, pragmas) costs more than most
/// queries. Each is used by one request at a time; at most <see cref="Kept"/> stay open when idle.
/// </summary>
public sealed class DatabaseConnections(SqliteConnectionFactory factory) : IDisposable
{
    private const int Kept = 8;
    private readonly ConcurrentBag<SqliteConnection> _idle = [];

    public SqliteConnectionFactory Factory => factory;

    /// <summary>A connection for the caller alone until the lease is disposed.</summary>
    public Lease Rent() => new(this, _idle.TryTake(out var connection) ? connection : factory.Open());

    public void Dispose()
    {
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    private void Return(SqliteConnection connection, bool broken)
    {
        if (broken || _idle.Count >= Kept)
        {
            connection.Dispose();
            return;
        }

        _idle.Add(connection);
    }

    /// <summary>A rented connection; disposing gives it back (or closes it if it was left inside a transaction).</summary>
    public readonly struct Lease(DatabaseConnections owner, SqliteConnection connection) : IDisposable
    {
        public SqliteConnection Connection => connection;

        public void Dispose() => owner.Return(connection, connection.State != System.Data.ConnectionState.Open || !IsAutocommit(connection));

        private static bool IsAutocommit(SqliteConnection connection) =>
            connection.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) != 0;
    }
}
