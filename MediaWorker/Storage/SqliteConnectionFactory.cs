using System.Globalization;
using MediaWorker.Configuration;
using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

namespace MediaWorker.Storage;

/// <summary>
/// The one place that opens connections to the job database. Every connection gets the pragmas of
/// SPEC 4 in this order: busy_timeout first (so the next pragmas already wait instead of failing),
/// then WAL, synchronous, foreign keys and the WAL size limit.
/// </summary>
/// <remarks>
/// One busy policy: SQLite's busy handler waits up to <c>DATABASE_BUSY_TIMEOUT</c> (see
/// <see cref="BusyWait"/> for how it sleeps), writes take the lock up front with
/// <see cref="WriteTransaction"/>, and a lock held past the timeout surfaces as
/// <see cref="DatabaseBusyException"/>. Statements that can wait for a lock (BEGIN IMMEDIATE, the
/// switch to WAL) run through <c>sqlite3_exec</c>, outside Microsoft.Data.Sqlite's own retry loop.
/// </remarks>
public sealed class SqliteConnectionFactory
{
    private readonly string _connectionString;

    public SqliteConnectionFactory(StoreSettings settings)
    {
        Settings = settings;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = settings.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            // Pooling would hand back connections whose pragmas we did not just set; the daemon keeps
            // its few connections open for its whole life instead.
            Pooling = false,
            // Microsoft.Data.Sqlite's statement retry (150 ms sleeps) counts from the statement's start;
            // at one second or less it gives up as soon as busy_timeout has, so it adds no second wait.
            DefaultTimeout = 1,
        }.ToString();
    }

    public StoreSettings Settings { get; }

    public SqliteConnection Open()
    {
        var directory = Path.GetDirectoryName(Settings.DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Exec(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)Settings.BusyTimeout.TotalMilliseconds};"));
            BusyWait.Install(connection, Settings.BusyTimeout);
            // Switching a new file to WAL takes a lock: two processes creating the database at once wait here.
            Exec(connection, "PRAGMA journal_mode = WAL;");
            Exec(connection, $"PRAGMA synchronous = {Settings.Synchronous};");
            Exec(connection, "PRAGMA foreign_keys = ON;");
            Exec(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA journal_size_limit = {Settings.WalSizeLimitBytes};"));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    internal static bool IsBusy(int rc) => (rc & 0xff) is SQLITE_BUSY or SQLITE_LOCKED;

    /// <summary>The one error for a lock held past busy_timeout; counted.</summary>
    internal static DatabaseBusyException Busy(SqliteConnection connection, Exception? inner)
    {
        DatabaseBusyCounter.Record();
        return new DatabaseBusyException(connection.DataSource, BusyWait.TimeoutOf(connection), inner);
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        var rc = sqlite3_exec(connection.Handle, sql);
        if (rc == SQLITE_OK)
        {
            return;
        }

        if (IsBusy(rc))
        {
            throw Busy(connection, null);
        }

        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }
}
