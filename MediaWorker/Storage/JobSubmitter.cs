using System.Data.Common;
using Dapper;
using MediaWorker.Storage.Postgres;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>Inserts jobs. A job whose idempotency key already exists is not inserted again: the first job is returned.</summary>
public static class JobSubmitter
{
    /// <summary>The columns every insert writes; a duplicate idempotency key (or job id) inserts nothing.</summary>
    internal const string InsertColumns = """
        INSERT INTO jobs (job_id, task_type, params, status, priority, progress, created_at, updated_at,
                          retry_count, max_retries, created_by, attempts, run_after, timeout_seconds,
                          idempotency_key, parent_job_id, webhook_url)
        """;

    private static readonly string SqliteInsert = InsertSql(SqlDialect.Sqlite);
    private static readonly string PostgresInsert = InsertSql(SqlDialect.Postgres);

    /// <summary>Inserts one job in its own IMMEDIATE transaction.</summary>
    /// <returns>The job id, and whether it was new (false: the idempotency key matched an earlier job).</returns>
    public static (string JobId, bool Created) Submit(DbConnection connection, NewJob job, long nowMs)
    {
        using var transaction = WriteTransaction.Begin(connection);
        var result = Insert(connection, job, nowMs);
        transaction.Commit();
        return result;
    }

    /// <summary>Inserts inside the caller's transaction (follow-ups commit with their parent's completion).</summary>
    public static (string JobId, bool Created) Insert(DbConnection connection, NewJob job, long nowMs)
    {
        var inserted = StatementCache.Execute(connection, connection is SqliteConnection ? SqliteInsert : PostgresInsert, Parameters(job, nowMs));
        if (inserted == 1)
        {
            return (job.JobId, true);
        }

        if (job.IdempotencyKey is not null)
        {
            var existing = connection.ExecuteScalar<string?>(
                "SELECT job_id FROM jobs WHERE idempotency_key = @key", new { key = job.IdempotencyKey });
            if (existing is not null)
            {
                return (existing, false);
            }
        }

        throw new InvalidOperationException($"The job '{job.JobId}' already exists.");
    }

    /// <summary>
    /// Inserts many jobs in one transaction (benchmarks, bulk producers). Rows go in groups of
    /// <see cref="RowsPerStatement"/> per prepared multi-row INSERT: binding is what costs, not SQLite.
    /// </summary>
    public static void InsertMany(DbConnection connection, IEnumerable<NewJob> jobs, long nowMs)
    {
        if (connection is not SqliteConnection sqlite)
        {
            PostgresBulkInsert.InsertMany(connection, jobs, nowMs);
            return;
        }

        using var transaction = WriteTransaction.Begin(sqlite);
        foreach (var group in jobs.Chunk(RowsPerStatement))
        {
            StatementCache.Execute(sqlite, MultiRowInserts[group.Length - 1], MultiRowParameters(group, nowMs));
        }

        transaction.Commit();
    }

    // SQLite finds a parameter by a linear search of the statement's names, so binding costs the
    // square of the parameters per statement: 64 rows (705 parameters) spent a third of a bulk
    // insert in strncmp, 8 rows halve the insert's time, and 1 row pays per-statement overhead.
    private const int RowsPerStatement = 8;

    private static readonly string[] RowColumns = ["j", "t", "p", "pr", "m", "c", "ra", "to", "k", "pa", "w"];

    /// <summary>Per row of a multi-row INSERT, its parameters' names, in <see cref="MultiRowParameters"/>' order.</summary>
    private static readonly string[][] RowParameterNames =
        [.. Enumerable.Range(0, RowsPerStatement).Select(r => RowColumns.Select(c => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"@{c}{r}")).ToArray())];

    /// <summary>The INSERT of 1 to <see cref="RowsPerStatement"/> rows, at index rows - 1.</summary>
    private static readonly string[] MultiRowInserts = [.. Enumerable.Range(1, RowsPerStatement).Select(MultiRowSql)];

    private static string MultiRowSql(int rows)
    {
        var values = Enumerable.Range(0, rows).Select(r =>
        {
            var n = RowParameterNames[r];
            return $"({n[0]}, {n[1]}, {n[2]}, 'queued', {n[3]}, 0, @now, @now, 0, {n[4]}, {n[5]}, 0, {n[6]}, {n[7]}, {n[8]}, {n[9]}, {n[10]})";
        });
        return InsertColumns + "\nVALUES " + string.Join(", ", values) + " ON CONFLICT DO NOTHING";
    }

    private static (string Name, object? Value)[] MultiRowParameters(NewJob[] group, long nowMs)
    {
        var parameters = new (string Name, object? Value)[group.Length * RowColumns.Length + 1];
        for (var r = 0; r < group.Length; r++)
        {
            var (job, n, at) = (group[r], RowParameterNames[r], r * RowColumns.Length);
            parameters[at] = (n[0], job.JobId);
            parameters[at + 1] = (n[1], job.TaskType);
            parameters[at + 2] = (n[2], job.ParamsJson);
            parameters[at + 3] = (n[3], job.Priority);
            parameters[at + 4] = (n[4], job.MaxRetries);
            parameters[at + 5] = (n[5], job.CreatedBy);
            parameters[at + 6] = (n[6], job.RunAfter);
            parameters[at + 7] = (n[7], job.TimeoutSeconds);
            parameters[at + 8] = (n[8], job.IdempotencyKey);
            parameters[at + 9] = (n[9], job.ParentJobId);
            parameters[at + 10] = (n[10], job.WebhookUrl);
        }

        parameters[^1] = ("@now", nowMs);
        return parameters;
    }

    private static string InsertSql(SqlDialect dialect) => InsertColumns + $"""

        VALUES (@JobId, @TaskType, {dialect.Json("@ParamsJson")}, 'queued', @Priority, 0, @Now, @Now,
                0, @MaxRetries, @CreatedBy, 0, @RunAfter, @TimeoutSeconds, @IdempotencyKey, @ParentJobId, @WebhookUrl)
        ON CONFLICT DO NOTHING
        """;

    private static (string Name, object? Value)[] Parameters(NewJob job, long nowMs) =>
    [
        ("@JobId", job.JobId),
        ("@TaskType", job.TaskType),
        ("@ParamsJson", job.ParamsJson),
        ("@Priority", job.Priority),
        ("@Now", nowMs),
        ("@MaxRetries", job.MaxRetries),
        ("@CreatedBy", job.CreatedBy),
        ("@RunAfter", job.RunAfter),
        ("@TimeoutSeconds", job.TimeoutSeconds),
        ("@IdempotencyKey", job.IdempotencyKey),
        ("@ParentJobId", job.ParentJobId),
        ("@WebhookUrl", job.WebhookUrl),
    ];
}
