using Dapper;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>
/// Schema step 3 (issue 16): webhook endpoints, the delivery log (one row per <c>webhook_delivery</c>
/// job, in per-endpoint, per-job order) and <c>jobs.webhook_url</c> for a job's own callback.
/// Idempotent, and portable SQL (the same text runs on PostgreSQL).
/// </summary>
internal static class SchemaStep3Webhooks
{
    public const int Version = 3;

    /// <summary>The tables and indexes; PostgreSQL's step 3 runs them too (<see cref="Postgres.PostgresSchema"/>).</summary>
    internal static readonly string[] Statements =
    [
        """
        CREATE TABLE IF NOT EXISTS webhook_endpoints (
            endpoint_id TEXT PRIMARY KEY,
            url TEXT NOT NULL,
            secret TEXT NOT NULL,
            previous_secret TEXT,
            events TEXT NOT NULL DEFAULT '',
            task_types TEXT NOT NULL DEFAULT '',
            created_at INTEGER NOT NULL,
            disabled_at INTEGER,
            disabled_reason TEXT
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS webhook_deliveries (
            delivery_id TEXT PRIMARY KEY,
            endpoint_id TEXT NOT NULL,
            url TEXT NOT NULL,
            source_job_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            seq INTEGER NOT NULL,
            body TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_code INTEGER
        )
        """,
        // The chain of one job's events to one endpoint, in order: the next delivery is released from it.
        "CREATE UNIQUE INDEX IF NOT EXISTS webhook_deliveries_chain ON webhook_deliveries (endpoint_id, source_job_id, seq)",
        "CREATE INDEX IF NOT EXISTS webhook_deliveries_log ON webhook_deliveries (endpoint_id, created_at)",
    ];

    public static void Apply(SqliteConnection connection)
    {
        foreach (var statement in Statements)
        {
            connection.Execute(statement);
        }

        if (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM pragma_table_info('jobs') WHERE name = 'webhook_url'") == 0)
        {
            connection.Execute("ALTER TABLE jobs ADD COLUMN webhook_url TEXT");
        }
    }

    public static bool IsApplied(SqliteConnection connection) =>
        connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'webhook_deliveries'") == 1
        && connection.ExecuteScalar<long>("SELECT COUNT(*) FROM pragma_table_info('jobs') WHERE name = 'webhook_url'") == 1;
}
