namespace MediaWorker.Configuration;

/// <summary>Where the job database is and how connections to it are tuned (SPEC 4).</summary>
public sealed record StoreSettings
{
    public required string DatabasePath { get; init; }
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
        var path = ParseDatabaseUrl(url);
        if (path is null)
        {
            reader.AddError($"DATABASE_URL: '{url}' is not allowed; use sqlite:///absolute/path.db or a plain file path.");
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
