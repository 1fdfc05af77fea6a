using Microsoft.Data.Sqlite;

namespace MediaWorker.Execution;

/// <summary>Recognises SQLite's lock-contention errors and counts how many surfaced to the worker.</summary>
public static class SqliteErrors
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private static long _busyCount;

    /// <summary>SQLITE_BUSY / SQLITE_LOCKED errors the worker saw after SQLite's own busy_timeout gave up.</summary>
    public static long BusyCount => Interlocked.Read(ref _busyCount);

    public static bool IsBusy(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked };

    public static void CountBusy() => Interlocked.Increment(ref _busyCount);
}
