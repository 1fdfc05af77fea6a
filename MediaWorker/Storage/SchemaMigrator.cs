using Dapper;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>
/// Brings any database forward to the current schema, idempotently, in one IMMEDIATE transaction:
/// an empty file, a database made by the seed's Python worker (same <c>jobs</c> table, fewer
/// columns, user_version 0) or an older MediaWorker database. Every added column has a default, so
/// a foreign producer's <c>INSERT (job_id, task_type, params, status, created_at)</c> stays a valid job.
/// </summary>
public static class SchemaMigrator
{
    public const int CurrentVersion = SchemaStep7FileReleases.Version;

    /// <summary>The seed's columns, created when the table does not exist yet.</summary>
    private const string CreateJobsTable = """
        CREATE TABLE IF NOT EXISTS jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id TEXT UNIQUE NOT NULL,
            task_type TEXT NOT NULL,
            params TEXT,
            output TEXT,
            status TEXT NOT NULL DEFAULT 'queued',
            priority INTEGER NOT NULL DEFAULT 5,
            progress INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER,
            started_at INTEGER,
            completed_at INTEGER,
            updated_at INTEGER,
            error_message TEXT,
            retry_count INTEGER NOT NULL DEFAULT 0,
            max_retries INTEGER NOT NULL DEFAULT 3,
            created_by TEXT
        )
        """;

    /// <summary>Columns every version needs, added to older tables when missing (name, definition).</summary>
    private static readonly (string Name, string Definition)[] Columns =
    [
        ("params", "TEXT"),
        ("output", "TEXT"),
        ("status", "TEXT NOT NULL DEFAULT 'queued'"),
        ("priority", "INTEGER NOT NULL DEFAULT 5"),
        ("progress", "INTEGER NOT NULL DEFAULT 0"),
        ("created_at", "INTEGER"),
        ("started_at", "INTEGER"),
        ("completed_at", "INTEGER"),
        ("updated_at", "INTEGER"),
        ("error_message", "TEXT"),
        ("retry_count", "INTEGER NOT NULL DEFAULT 0"),
        ("max_retries", "INTEGER NOT NULL DEFAULT 3"),
        ("created_by", "TEXT"),
        // Added by MediaWorker (schema 1).
        ("attempts", "INTEGER NOT NULL DEFAULT 0"),
        ("run_after", "INTEGER NOT NULL DEFAULT 0"),
        ("lease_owner", "TEXT"),
        ("lease_token", "TEXT"),
        ("lease_expires_at", "INTEGER"),
        ("cancel_requested", "INTEGER NOT NULL DEFAULT 0"),
        ("timeout_seconds", "REAL"),
        ("idempotency_key", "TEXT"),
        ("parent_job_id", "TEXT"),
        ("worker_id", "TEXT"),
    ];

    private static readonly string[] Indexes =
    [
        // The claim reads queued jobs of one task type in priority order: this index answers it without sorting.
        "CREATE INDEX IF NOT EXISTS jobs_queue ON jobs (task_type, priority DESC, created_at, id) WHERE status = 'queued'",
        "CREATE INDEX IF NOT EXISTS jobs_lease ON jobs (lease_expires_at) WHERE status = 'processing'",
        "CREATE UNIQUE INDEX IF NOT EXISTS jobs_idempotency ON jobs (idempotency_key) WHERE idempotency_key IS NOT NULL",
        // Only finished rows: queued and running jobs change status twice each and would pay for it on every change.
        "CREATE INDEX IF NOT EXISTS jobs_finished ON jobs (completed_at) WHERE status IN ('completed', 'failed', 'cancelled', 'error')",
        // A producer that inserts only (job_id, task_type, params, status) still gets a creation time, so it sorts by age.
        """
        CREATE TRIGGER IF NOT EXISTS jobs_created_at AFTER INSERT ON jobs WHEN NEW.created_at IS NULL
        BEGIN
            UPDATE jobs SET created_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) WHERE id = NEW.id;
        END
        """,
    ];

    public static void Migrate(SqliteConnection connection)
    {
        var found = connection.ExecuteScalar<long>("PRAGMA user_version");
        if (found > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database has schema version {found}, newer than this MediaWorker understands ({CurrentVersion}); upgrade MediaWorker.");
        }

        if (found == CurrentVersion && HasAllColumns(connection) && SchemaStep2WorkerHeartbeats.IsApplied(connection)
            && SchemaStep3Webhooks.IsApplied(connection)
            && SchemaStep4Pipelines.IsApplied(connection)
            && SchemaStep5SchedulesAndPausedQueues.IsApplied(connection)
            && SchemaStep6JobCheckpoints.IsApplied(connection)
            && SchemaStep7FileReleases.IsApplied(connection))
        {
            return;
        }

        using var transaction = WriteTransaction.Begin(connection);
        var version = connection.ExecuteScalar<long>("PRAGMA user_version");
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database has schema version {version}, newer than this MediaWorker understands ({CurrentVersion}); upgrade MediaWorker.");
        }

        connection.Execute(CreateJobsTable);
        var existing = ExistingColumns(connection);
        foreach (var (name, definition) in Columns)
        {
            if (!existing.Contains(name))
            {
                connection.Execute($"ALTER TABLE jobs ADD COLUMN {name} {definition}");
            }
        }

        // Seed rows: NULL timestamps or priorities would sort unpredictably; seconds-based timestamps stay as they are.
        connection.Execute("UPDATE jobs SET created_at = CAST(strftime('%s','now') AS INTEGER) * 1000 WHERE created_at IS NULL");
        connection.Execute("UPDATE jobs SET status = 'queued' WHERE status IS NULL OR status = 'pending'");
        foreach (var index in Indexes)
        {
            connection.Execute(index);
        }

        SchemaStep2WorkerHeartbeats.Apply(connection);
        SchemaStep3Webhooks.Apply(connection);
        SchemaStep4Pipelines.Apply(connection);
        SchemaStep5SchedulesAndPausedQueues.Apply(connection);
        SchemaStep6JobCheckpoints.Apply(connection);
        SchemaStep7FileReleases.Apply(connection);

        connection.Execute($"PRAGMA user_version = {CurrentVersion}");
        transaction.Commit();
    }

    private static bool HasAllColumns(SqliteConnection connection)
    {
        var existing = ExistingColumns(connection);
        return Columns.All(c => existing.Contains(c.Name));
    }

    private static HashSet<string> ExistingColumns(SqliteConnection connection) =>
        connection.Query<string>("SELECT name FROM pragma_table_info('jobs')").ToHashSet(StringComparer.OrdinalIgnoreCase);
}
