namespace MediaWorker.Storage;

/// <summary>One row of the <c>jobs</c> table as the CLI shows it.</summary>
public sealed record JobRecord
{
    public long Id { get; init; }
    public string JobId { get; init; } = "";
    public string TaskType { get; init; } = "";
    public string? Params { get; init; }
    public string? Output { get; init; }
    public string Status { get; init; } = JobStatus.Queued;
    public long Priority { get; init; }
    public long Progress { get; init; }
    public long? CreatedAt { get; init; }
    public long? StartedAt { get; init; }
    public long? CompletedAt { get; init; }
    public long? UpdatedAt { get; init; }
    public string? ErrorMessage { get; init; }
    public long RetryCount { get; init; }
    public long MaxRetries { get; init; }
    public string? CreatedBy { get; init; }
    public long Attempts { get; init; }
    public long RunAfter { get; init; }
    public string? LeaseOwner { get; init; }
    public long? LeaseExpiresAt { get; init; }
    public long CancelRequested { get; init; }
    public double? TimeoutSeconds { get; init; }
    public string? IdempotencyKey { get; init; }
    public string? ParentJobId { get; init; }
    public string? WorkerId { get; init; }

    /// <summary>Values that did not fit their column (a foreign producer's), one line each; see <see cref="JobRowReader"/>.</summary>
    public IReadOnlyList<string> ReadProblems { get; init; } = [];

    internal const string Columns = """
        id AS Id, job_id AS JobId, task_type AS TaskType, params AS Params, output AS Output,
        CASE status WHEN 'error' THEN 'failed' ELSE status END AS Status, priority AS Priority, progress AS Progress,
        created_at AS CreatedAt, started_at AS StartedAt, completed_at AS CompletedAt, updated_at AS UpdatedAt,
        error_message AS ErrorMessage, retry_count AS RetryCount, max_retries AS MaxRetries, created_by AS CreatedBy,
        attempts AS Attempts, run_after AS RunAfter, lease_owner AS LeaseOwner, lease_expires_at AS LeaseExpiresAt,
        cancel_requested AS CancelRequested, timeout_seconds AS TimeoutSeconds, idempotency_key AS IdempotencyKey,
        parent_job_id AS ParentJobId, worker_id AS WorkerId
        """;
}
