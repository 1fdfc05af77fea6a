using Dapper;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>
/// Schema step 7 (issue 18): <c>file_releases</c>, files a job handed over in a checkpoint
/// (<c>JobCheckpoint.FileReleases</c>) for the host to delete once their readers (jobs, pipeline
/// runs) have finished or their deadline has passed, also after the job has ended. Each row names
/// the machine whose file system holds them, so that only workers there delete them
/// (<see cref="FileReleaseStore"/>). Idempotent, and plain SQL that PostgreSQL runs too.
/// </summary>
internal static class SchemaStep7FileReleases
{
    public const int Version = 7;

    /// <summary>The table and its index; PostgreSQL's step 7 runs them too.</summary>
    internal static readonly string[] Statements =
    [
        """
        CREATE TABLE IF NOT EXISTS file_releases (
            release_id TEXT PRIMARY KEY,
            job_id TEXT NOT NULL,
            host TEXT NOT NULL,
            paths TEXT NOT NULL,
            read_by TEXT NOT NULL,
            delete_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS file_releases_host ON file_releases (host, delete_at)",
    ];

    public static void Apply(SqliteConnection connection)
    {
        foreach (var statement in Statements)
        {
            connection.Execute(statement);
        }
    }

    public static bool IsApplied(SqliteConnection connection) =>
        connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'file_releases'") == 1;
}
