using System.Data.Common;
using System.Text;
using Dapper;
using MediaWorker.Storage;

namespace MediaWorker.Http.Api;

/// <summary>Filters of a job listing; every one optional.</summary>
/// <param name="Status">One status (a legacy <c>error</c> row counts as failed).</param>
/// <param name="TaskType">One task type.</param>
/// <param name="CreatedFrom">created_at at or after (epoch ms).</param>
/// <param name="CreatedUntil">created_at before (epoch ms).</param>
/// <param name="BeforeId">Keyset cursor: only rows with a smaller <c>id</c> (the previous page's last).</param>
/// <param name="Limit">Rows per page.</param>
public sealed record JobFilter(string? Status, string? TaskType, long? CreatedFrom, long? CreatedUntil, long? BeforeId, int Limit);

// Properties, not positional records: Dapper maps an empty result's untyped columns to properties by name.

/// <summary>Jobs per task type and status.</summary>
public sealed record QueueCount
{
    public string TaskType { get; init; } = "";
    public string Status { get; init; } = "";
    public long Count { get; init; }
}

/// <summary>Jobs that finished in one minute.</summary>
public sealed record FinishedMinute
{
    public long MinuteStart { get; init; }
    public long Completed { get; init; }
    public long Failed { get; init; }
    public long Cancelled { get; init; }
}

/// <summary>
/// The read side of the operations surface: listing with keyset paging, counts per task type and
/// status, finished jobs per minute. Reads only; all queries run on indexes or small groups, in SQL
/// both engines share (no boolean sums: PostgreSQL does not add booleans).
/// </summary>
public static class JobQueries
{
    /// <summary>Newest first. Keyset paging by id: stable while jobs are added, no OFFSET scan.</summary>
    public static IReadOnlyList<JobRecord> List(DbConnection connection, JobFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var where = new List<string>();
        if (filter.Status is not null)
        {
            where.Add(filter.Status == JobStatus.Failed ? "status IN ('failed', 'error')" : "status = @Status");
        }

        if (filter.TaskType is not null)
        {
            where.Add("task_type = @TaskType");
        }

        if (filter.CreatedFrom is not null)
        {
            where.Add("created_at >= @CreatedFrom");
        }

        if (filter.CreatedUntil is not null)
        {
            where.Add("created_at < @CreatedUntil");
        }

        if (filter.BeforeId is not null)
        {
            where.Add("id < @BeforeId");
        }

        var sql = new StringBuilder($"SELECT {JobRecord.Columns} FROM jobs");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").Append(string.Join(" AND ", where));
        }

        sql.Append(" ORDER BY id DESC LIMIT @Limit");
        return connection.Query<JobRecord>(sql.ToString(), filter).ToList();
    }

    public static IReadOnlyList<QueueCount> CountByTaskAndStatus(DbConnection connection) =>
        connection.Query<QueueCount>(
            "SELECT task_type AS TaskType, CASE status WHEN 'error' THEN 'failed' ELSE status END AS Status, COUNT(*) AS Count FROM jobs GROUP BY 1, 2 ORDER BY 1, 2")
            .ToList();

    /// <summary>Finished jobs per minute since <paramref name="sinceMs"/> (the finished-rows index answers it).</summary>
    public static IReadOnlyList<FinishedMinute> FinishedPerMinute(DbConnection connection, long sinceMs) =>
        connection.Query<FinishedMinute>(
            """
            SELECT (completed_at / 60000) * 60000 AS MinuteStart,
                   SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS Completed,
                   SUM(CASE WHEN status IN ('failed', 'error') THEN 1 ELSE 0 END) AS Failed,
                   SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS Cancelled
            FROM jobs WHERE status IN ('completed', 'failed', 'cancelled', 'error') AND completed_at >= @sinceMs
            GROUP BY 1 ORDER BY 1
            """,
            new { sinceMs }).ToList();

    /// <summary>The oldest claimable queued job's created_at, or null for an empty queue.</summary>
    public static long? OldestQueued(DbConnection connection, long nowMs) =>
        connection.ExecuteScalar<long?>("SELECT MIN(created_at) FROM jobs WHERE status = 'queued' AND run_after <= @nowMs", new { nowMs });

    /// <summary>Rows written at or after <paramref name="sinceMs"/>, oldest write first (the change feed).</summary>
    public static IReadOnlyList<JobChange> ChangedSince(DbConnection connection, long sinceMs, int limit) =>
        connection.Query<JobChange>(
            """
            SELECT job_id AS JobId, task_type AS TaskType, CASE status WHEN 'error' THEN 'failed' ELSE status END AS Status,
                   progress AS Progress, attempts AS Attempts, worker_id AS WorkerId, error_message AS ErrorMessage, updated_at AS UpdatedAt
            FROM jobs WHERE updated_at >= @sinceMs ORDER BY updated_at LIMIT @limit
            """,
            new { sinceMs, limit }).ToList();
}

/// <summary>What the change feed reads of a job row.</summary>
public sealed record JobChange
{
    public string JobId { get; init; } = "";
    public string TaskType { get; init; } = "";
    public string Status { get; init; } = JobStatus.Queued;
    public long Progress { get; init; }
    public long Attempts { get; init; }
    public string? WorkerId { get; init; }
    public string? ErrorMessage { get; init; }
    public long UpdatedAt { get; init; }
}
