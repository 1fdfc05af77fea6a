using Dapper;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>
/// Schema step 6 (issue 18): the <c>job_checkpoints</c> table, one row per job that committed a
/// checkpoint (<c>IJobCheckpoints</c>): the handler's state as JSON, which attempt wrote it and when.
/// A long-running job (a live-stream ingest) resumes from it on its next attempt. Rows of deleted
/// jobs are removed by the next purge (<see cref="CheckpointStore.DeleteOrphans"/>). Idempotent, and plain
/// SQL that PostgreSQL runs too.
/// </summary>
internal static class SchemaStep6JobCheckpoints
{
    public const int Version = 6;

    /// <summary>The table; PostgreSQL's step 6 runs it too.</summary>
    internal const string CreateTable = """
        CREATE TABLE IF NOT EXISTS job_checkpoints (
            job_id TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        )
        """;

    public static void Apply(SqliteConnection connection) => connection.Execute(CreateTable);

    public static bool IsApplied(SqliteConnection connection) =>
        connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'job_checkpoints'") == 1;
}
