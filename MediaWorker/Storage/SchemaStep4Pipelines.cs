using Dapper;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>
/// Schema step 4 (issue 17): pipelines. Stored definitions by name and version, runs, the state of
/// each run's steps, and the jobs each step released (one row per run, step and for_each index: the
/// primary key is what makes releasing a step idempotent). Portable SQL (SQLite and PostgreSQL);
/// idempotent: every statement is IF NOT EXISTS.
/// </summary>
internal static class SchemaStep4Pipelines
{
    public const int Version = 4;

    /// <summary>The tables; PostgreSQL's step 4 runs them too (<see cref="Postgres.PostgresSchema"/>).</summary>
    internal static readonly string[] Statements =
    [
        """
        CREATE TABLE IF NOT EXISTS pipeline_definitions (
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            definition TEXT NOT NULL,
            digest TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (name, version)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS pipeline_runs (
            run_id TEXT PRIMARY KEY,
            pipeline TEXT NOT NULL,
            version INTEGER NOT NULL,
            status TEXT NOT NULL,
            input TEXT NOT NULL,
            error_message TEXT,
            idempotency_key TEXT UNIQUE,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            created_by TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            completed_at BIGINT
        )
        """,
        "CREATE INDEX IF NOT EXISTS pipeline_runs_created ON pipeline_runs (created_at)",
        """
        CREATE TABLE IF NOT EXISTS pipeline_steps (
            run_id TEXT NOT NULL,
            step TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'waiting',
            items INTEGER,
            output TEXT,
            error_message TEXT,
            started_at BIGINT,
            completed_at BIGINT,
            PRIMARY KEY (run_id, step)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS pipeline_step_jobs (
            run_id TEXT NOT NULL,
            step TEXT NOT NULL,
            item INTEGER NOT NULL,
            job_id TEXT NOT NULL UNIQUE,
            PRIMARY KEY (run_id, step, item)
        )
        """,
    ];

    public static void Apply(SqliteConnection connection)
    {
        foreach (var statement in Statements)
        {
            connection.Execute(statement);
        }
    }

    public static bool IsApplied(SqliteConnection connection) =>
        connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'pipeline_step_jobs'") == 1;
}
