using Dapper;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>
/// Schema step 5 (issue 17): the <c>schedules</c> table (cron schedules that submit jobs, see
/// docs/schedules.md) and the <c>paused_queues</c> table (task types whose queued jobs are not
/// claimed). Portable SQL (SQLite and PostgreSQL): BIGINT milliseconds, TEXT keys, and every
/// statement IF NOT EXISTS, so it is idempotent.
/// </summary>
internal static class SchemaStep5SchedulesAndPausedQueues
{
    public const int Version = 5;

    /// <summary>The tables; PostgreSQL's step 5 runs them too (<see cref="Postgres.PostgresSchema"/>).</summary>
    internal static readonly string[] Statements =
    [
        """
        CREATE TABLE IF NOT EXISTS schedules (
            name TEXT PRIMARY KEY,
            cron TEXT NOT NULL,
            time_zone TEXT NOT NULL DEFAULT 'UTC',
            catch_up TEXT NOT NULL DEFAULT 'skip',
            target TEXT NOT NULL,
            paused INTEGER NOT NULL DEFAULT 0,
            next_run_at BIGINT,
            last_run_at BIGINT,
            last_job_id TEXT,
            last_error TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        // Every worker asks "when is the next occurrence due" about once a second.
        "CREATE INDEX IF NOT EXISTS schedules_due ON schedules (next_run_at) WHERE paused = 0",
        """
        CREATE TABLE IF NOT EXISTS paused_queues (
            task_type TEXT PRIMARY KEY,
            paused_at BIGINT NOT NULL,
            paused_by TEXT,
            reason TEXT
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
        connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('schedules', 'paused_queues')") == 2;
}
