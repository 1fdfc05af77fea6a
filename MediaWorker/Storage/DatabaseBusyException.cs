namespace MediaWorker.Storage;

/// <summary>
/// The job database stayed locked by another connection for the whole <c>DATABASE_BUSY_TIMEOUT</c>.
/// It is the one way lock contention surfaces: SQLite's busy handler has already waited, nothing
/// retries on top of it, and every occurrence is counted by <see cref="DatabaseBusyCounter"/>.
/// </summary>
public sealed class DatabaseBusyException : Exception
{
    public DatabaseBusyException(string databasePath, TimeSpan busyTimeout, Exception? inner = null)
        : base(
            $"The job database '{databasePath}' stayed locked by another connection for longer than DATABASE_BUSY_TIMEOUT " +
            $"({busyTimeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s). " +
            "A long transaction elsewhere (a backup, a sqlite3 shell left in BEGIN) holds the write lock; end it, or raise DATABASE_BUSY_TIMEOUT.",
            inner)
    {
        DatabasePath = databasePath;
        BusyTimeout = busyTimeout;
    }

    public DatabaseBusyException()
        : this("?", TimeSpan.Zero)
    {
    }

    public DatabaseBusyException(string message)
        : base(message)
    {
        DatabasePath = "?";
    }

    public DatabaseBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
        DatabasePath = "?";
    }

    public string DatabasePath { get; } = "?";

    public TimeSpan BusyTimeout { get; }
}
