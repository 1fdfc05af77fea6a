using Dapper;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>
/// Keeps the WAL file small: a PASSIVE checkpoint each interval (never blocks writers), and a
/// TRUNCATE checkpoint when the WAL has grown beyond the limit anyway (a long reader held it back).
/// </summary>
public static class WalCheckpointer
{
    public static (long WalBytesBefore, bool Truncated) Checkpoint(SqliteConnection connection, string databasePath, long walLimitBytes)
    {
        var wal = new FileInfo(databasePath + "-wal");
        var before = wal.Exists ? wal.Length : 0;
        if (before > walLimitBytes)
        {
            connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
            return (before, true);
        }

        connection.Execute("PRAGMA wal_checkpoint(PASSIVE)");
        return (before, false);
    }
}
