using MediaWorker.Configuration;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>
/// The one place that opens connections to the job database. Every connection gets the pragmas of
/// SPEC 4 in this order: busy_timeout first (so the next pragmas already wait instead of failing),
/// then WAL, synchronous, foreign keys and the WAL size limit.
/// </summary>
public sealed class SqliteConnectionFactory
{
    private static readonly Lazy<bool> Initialized = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private readonly string _connectionString;

    public SqliteConnectionFactory(StoreSettings settings)
    {
        Settings = settings;
        _ = Initialized.Value;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = settings.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            // Pooling would hand back connections whose pragmas we did not just set; the daemon keeps
            // its few connections open for its whole life instead.
            Pooling = false,
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
            // The busy timeout (DATABASE_BUSY_TIMEOUT) is enforced by WriteTransaction's own wait and by
            // Microsoft.Data.Sqlite's statement retry (DefaultTimeout). SQLite's busy handler stays off
            // (0): the bundled e_sqlite3 lacks usleep and would sleep a whole second per collision.
            connection.DefaultTimeout = (int)Math.Ceiling(Settings.BusyTimeout.TotalSeconds);
            Execute(connection, "PRAGMA busy_timeout = 0;");
            ExecuteWhileBusy(connection, "PRAGMA journal_mode = WAL;");
            Execute(connection, $"PRAGMA synchronous = {Settings.Synchronous};");
            Execute(connection, "PRAGMA foreign_keys = ON;");
            Execute(connection, $"PRAGMA journal_size_limit = {Settings.WalSizeLimitBytes};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Switching a new file to WAL takes a lock; two processes creating the database at once may collide.</summary>
    private void ExecuteWhileBusy(SqliteConnection connection, string sql)
    {
        var deadline = DateTime.UtcNow + Settings.BusyTimeout;
        while (true)
        {
            try
            {
                Execute(connection, sql);
                return;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(1);
            }
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
