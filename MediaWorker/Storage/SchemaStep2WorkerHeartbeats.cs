using Dapper;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>
/// Schema step 2 (issue 15): the <c>workers</c> heartbeat table, so the API and the dashboard list
/// live workers without MQTT, and an index on <c>jobs.updated_at</c> for the change feed that streams
/// job events to a process without a worker in it. Idempotent: every statement is IF NOT EXISTS.
/// </summary>
internal static class SchemaStep2WorkerHeartbeats
{
    public const int Version = 2;

    private static readonly string[] Statements =
    [
        """
        CREATE TABLE IF NOT EXISTS workers (
            worker_id TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            capabilities TEXT NOT NULL DEFAULT '[]',
            slots INTEGER NOT NULL DEFAULT 0,
            active_jobs INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'idle',
            version TEXT,
            started_at INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            heartbeat_timeout_ms INTEGER NOT NULL
        )
        """,
        // "What changed since T" without reading the whole table; updated_at is written by every job write.
        "CREATE INDEX IF NOT EXISTS jobs_updated ON jobs (updated_at)",
    ];

    public static void Apply(SqliteConnection connection)
    {
        foreach (var statement in Statements)
        {
            connection.Execute(statement);
        }
    }

    public static bool IsApplied(SqliteConnection connection) =>
        connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'workers'") == 1;
}
