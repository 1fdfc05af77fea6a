using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

namespace MediaWorker.Storage;

/// <summary>The checkpoint SQLite runs when the last connection to a WAL database closes.</summary>
public static class ClosingCheckpoint
{
    /// <summary>Closes <paramref name="connection"/> without that checkpoint; the WAL stays and the next opener replays it.</summary>
    public static void Disable(SqliteConnection connection) =>
        _ = sqlite3_db_config(connection.Handle, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);
}
