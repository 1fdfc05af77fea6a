using System.Data.Common;
using Dapper;

namespace MediaWorker.Storage;

/// <summary>
/// A write that reaches every file a commit reaches (the WAL and its index) and changes nothing: the
/// schema version is rewritten with its own value. A claim that finds no job writes no page, so it
/// cannot tell whether the database accepts writes again; this can.
/// </summary>
public static class WriteProbe
{
    public static void Run(DbConnection connection)
    {
        if (connection is not Microsoft.Data.Sqlite.SqliteConnection)
        {
            // PostgreSQL answers or fails as a whole: a round trip is the probe.
            connection.ExecuteScalar<int>("SELECT 1");
            return;
        }

        using var transaction = WriteTransaction.Begin(connection);
        var version = connection.ExecuteScalar<long>("PRAGMA user_version");
        connection.Execute(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PRAGMA user_version = {version}"));
        transaction.Commit();
    }

    /// <summary>
    /// Whether a write could begin now, writing nothing: SQLite takes the write lock and lets it go
    /// (a lock held elsewhere past busy_timeout throws <see cref="DatabaseBusyException"/>);
    /// PostgreSQL is asked whether this session may write (not on a read-only standby, nor with
    /// <c>default_transaction_read_only</c>).
    /// </summary>
    public static bool CanBegin(DbConnection connection)
    {
        if (connection is not Microsoft.Data.Sqlite.SqliteConnection)
        {
            return connection.ExecuteScalar<string>("SHOW transaction_read_only") == "off";
        }

        using var transaction = WriteTransaction.Begin(connection);
        _ = connection.ExecuteScalar<long>("PRAGMA user_version");
        return true; // disposing without commit rolls back: nothing was written
    }
}
