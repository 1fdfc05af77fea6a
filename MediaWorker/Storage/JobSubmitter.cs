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
        SqliteCommand? full = null; // prepared at the first full group: a single job needs only the short statement
        try
        {
            var group = new List<NewJob>(RowsPerStatement);
            foreach (var job in jobs)
            {
                group.Add(job);
                if (group.Count == RowsPerStatement)
                {
                    Execute(full ??= PrepareMultiRow(sqlite, RowsPerStatement), group, nowMs);
                    group.Clear();
                }
            }

            if (group.Count > 0)
            {
                using var rest = PrepareMultiRow(sqlite, group.Count);
                Execute(rest, group, nowMs);
            }
        }
        finally
        {
            full?.Dispose();
        }

        transaction.Commit();
    }

    // SQLite finds a parameter by a linear search of the statement's names, so binding costs the
    // square of the parameters per statement: 64 rows (705 parameters) spent a third of a bulk
    // insert in strncmp, 8 rows halve the insert's time, and 1 row pays per-statement overhead.
    private const int RowsPerStatement = 8;
    private const int ColumnsPerRow = 11;

    private static SqliteCommand PrepareMultiRow(SqliteConnection connection, int rows)
    {
        var command = connection.CreateCommand();
        var values = new System.Text.StringBuilder();
        for (var r = 0; r < rows; r++)
        {
            values.Append(r == 0 ? string.Empty : ", ").Append(System.Globalization.CultureInfo.InvariantCulture,
                $"(@j{r}, @t{r}, @p{r}, 'queued', @pr{r}, 0, @now, @now, 0, @m{r}, @c{r}, 0, @ra{r}, @to{r}, @k{r}, @pa{r}, @w{r})");
            foreach (var name in new[] { "j", "t", "p", "pr", "m", "c", "ra", "to", "k", "pa", "w" })
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = $"@{name}{r}" });
            }
        }

        command.Parameters.Add(new SqliteParameter { ParameterName = "@now" });
        command.CommandText = InsertColumns + "\nVALUES " + values + " ON CONFLICT DO NOTHING";
        command.Prepare();
        return command;
    }

    private static void Execute(SqliteCommand command, List<NewJob> group, long nowMs)
    {
        var parameters = command.Parameters;
        for (var r = 0; r < group.Count; r++)
        {
            var job = group[r];
            var at = r * ColumnsPerRow;
            parameters[at].Value = job.JobId;
            parameters[at + 1].Value = job.TaskType;
            parameters[at + 2].Value = job.ParamsJson;
            parameters[at + 3].Value = job.Priority;
            parameters[at + 4].Value = job.MaxRetries;
            parameters[at + 5].Value = (object?)job.CreatedBy ?? DBNull.Value;
            parameters[at + 6].Value = job.RunAfter;
            parameters[at + 7].Value = (object?)job.TimeoutSeconds ?? DBNull.Value;
            parameters[at + 8].Value = (object?)job.IdempotencyKey ?? DBNull.Value;
            parameters[at + 9].Value = (object?)job.ParentJobId ?? DBNull.Value;
            parameters[at + 10].Value = (object?)job.WebhookUrl ?? DBNull.Value;
        }

        parameters[group.Count * ColumnsPerRow].Value = nowMs;
        command.ExecuteNonQuery();
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
