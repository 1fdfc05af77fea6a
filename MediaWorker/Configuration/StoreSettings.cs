using MediaWorker.Storage.Postgres;

namespace MediaWorker.Configuration;

/// <summary>Where the job database is and how connections to it are tuned (SPEC 4).</summary>
public sealed record StoreSettings
{
    /// <summary>
    /// The SQLite file. With PostgreSQL there is no file: this is a name in CL_SERVER_DIR that
    /// per-box files (the worker instance lock) are named after.
    /// </summary>
    public required string DatabasePath { get; init; }

    /// <summary>For <c>DATABASE_URL=postgresql://…</c>: the Npgsql connection string (password included); null for SQLite.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>Most connections one process keeps to PostgreSQL (<c>DATABASE_POOL_SIZE</c>).</summary>
    public int PoolSize { get; init; } = 5;

    public bool IsPostgres => PostgresConnectionString is not null;

    /// <summary>The database as logs and messages name it: the file, or the PostgreSQL URL without its password.</summary>
    public string Location => PostgresConnectionString is { } connectionString ? PostgresUrl.Describe(connectionString) : DatabasePath;
    /// <summary><c>NORMAL</c> (default) or <c>FULL</c>.</summary>
    public string Synchronous { get; init; } = "NORMAL";
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>The WAL file is truncated to this size after checkpoints.</summary>
    public long WalSizeLimitBytes { get; init; } = 64L * 1024 * 1024;
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(30);

    public static StoreSettings ForPath(string path) => new() { DatabasePath = Path.GetFullPath(path) };

    internal static StoreSettings Read(SettingsReader reader, string serverDir)
    {
        var url = reader.Text("DATABASE_URL", Path.Combine(serverDir, "media_store.db"));
        var poolSize = reader.WholeNumber("DATABASE_POOL_SIZE", 5, 2, 100);
        if (PostgresUrl.IsPostgres(url))
        {
            var (connectionString, error) = PostgresUrl.Parse(url, poolSize);
            if (error is not null)
            {
                reader.AddError("DATABASE_URL: " + error);
            }

            return new StoreSettings
            {
                DatabasePath = Path.Combine(serverDir, "postgresql"),
                PostgresConnectionString = connectionString ?? "",
                PoolSize = poolSize,
                BusyTimeout = reader.Seconds("DATABASE_BUSY_TIMEOUT", TimeSpan.FromSeconds(10), 0.1, 600),
                CheckpointInterval = reader.Seconds("DATABASE_CHECKPOINT_INTERVAL", TimeSpan.FromSeconds(30), 1, 86400),
            };
        }

        var path = ParseDatabaseUrl(url);
        if (path is null)
        {
            reader.AddError($"DATABASE_URL: '{url}' is not allowed; use sqlite:///absolute/path.db, a plain file path or postgresql://user:password@host:port/database.");
            path = Path.Combine(serverDir, "media_store.db");
        }

        return new StoreSettings
        {
            DatabasePath = Path.GetFullPath(path),
            Synchronous = reader.Choice("DATABASE_SYNCHRONOUS", "NORMAL", "NORMAL", "FULL"),
            BusyTimeout = reader.Seconds("DATABASE_BUSY_TIMEOUT", TimeSpan.FromSeconds(10), 0.1, 600),
            WalSizeLimitBytes = reader.WholeNumber("DATABASE_WAL_LIMIT_MB", 64, 1, 65536) * 1024L * 1024,
            CheckpointInterval = reader.Seconds("DATABASE_CHECKPOINT_INTERVAL", TimeSpan.FromSeconds(30), 1, 86400),
        };
    }

    /// <summary>Accepts <c>sqlite:///abs/path</c>, <c>sqlite://rel/path</c> and plain paths.</summary>
    public static string? ParseDatabaseUrl(string url)
    {
        if (url.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase))
        {
            // sqlite:///abs/path and SQLAlchemy's sqlite:////abs/path both mean /abs/path.
            return "/" + url["sqlite:///".Length..].TrimStart('/');
        }

        if (url.StartsWith("sqlite://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = url["sqlite://".Length..];
            return rest.Length == 0 ? null : rest;
        }

        return url.Contains("://", StringComparison.Ordinal) || url.Length == 0 ? null : url;
    }
}
