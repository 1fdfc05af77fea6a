using Dapper;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>Inserts jobs. A job whose idempotency key already exists is not inserted again: the first job is returned.</summary>
public static class JobSubmitter
{
    private const string InsertSql = """
        INSERT OR IGNORE INTO jobs (job_id, task_type, params, status, priority, progress, created_at, updated_at,
                                    retry_count, max_retries, created_by, attempts, run_after, timeout_seconds,
                                    idempotency_key, parent_job_id)
        VALUES (@JobId, @TaskType, @ParamsJson, 'queued', @Priority, 0, @Now, @Now,
                0, @MaxRetries, @CreatedBy, 0, @RunAfter, @TimeoutSeconds, @IdempotencyKey, @ParentJobId)
        """;

    /// <summary>Inserts one job in its own IMMEDIATE transaction.</summary>
    /// <returns>The job id, and whether it was new (false: the idempotency key matched an earlier job).</returns>
    public static (string JobId, bool Created) Submit(SqliteConnection connection, NewJob job, long nowMs)
    {
        using var transaction = WriteTransaction.Begin(connection);
        var result = Insert(connection, job, nowMs);
        transaction.Commit();
        return result;
    }

    /// <summary>Inserts inside the caller's transaction (follow-ups commit with their parent's completion).</summary>
    public static (string JobId, bool Created) Insert(SqliteConnection connection, NewJob job, long nowMs)
    {
        var inserted = connection.Execute(InsertSql, Parameters(job, nowMs));
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

    /// <summary>Inserts many jobs in one transaction with one prepared statement (benchmarks, bulk producers).</summary>
    public static void InsertMany(SqliteConnection connection, IEnumerable<NewJob> jobs, long nowMs)
    {
        using var transaction = WriteTransaction.Begin(connection);
        using var command = connection.CreateCommand();
        command.CommandText = InsertSql;
        var names = new[] { "@JobId", "@TaskType", "@ParamsJson", "@Priority", "@Now", "@MaxRetries", "@CreatedBy", "@RunAfter", "@TimeoutSeconds", "@IdempotencyKey", "@ParentJobId" };
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        foreach (var job in jobs)
        {
            command.Parameters[0].Value = job.JobId;
            command.Parameters[1].Value = job.TaskType;
            command.Parameters[2].Value = job.ParamsJson;
            command.Parameters[3].Value = job.Priority;
            command.Parameters[4].Value = nowMs;
            command.Parameters[5].Value = job.MaxRetries;
            command.Parameters[6].Value = (object?)job.CreatedBy ?? DBNull.Value;
            command.Parameters[7].Value = job.RunAfter;
            command.Parameters[8].Value = (object?)job.TimeoutSeconds ?? DBNull.Value;
            command.Parameters[9].Value = (object?)job.IdempotencyKey ?? DBNull.Value;
            command.Parameters[10].Value = (object?)job.ParentJobId ?? DBNull.Value;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static object Parameters(NewJob job, long nowMs) => new
    {
        job.JobId,
        job.TaskType,
        job.ParamsJson,
        job.Priority,
        Now = nowMs,
        job.MaxRetries,
        job.CreatedBy,
        job.RunAfter,
        job.TimeoutSeconds,
        job.IdempotencyKey,
        job.ParentJobId,
    };
}
