namespace MediaWorker.Storage;

/// <summary>A job to insert (<c>mediaworker submit</c>, follow-ups, benchmarks).</summary>
public sealed record NewJob(string TaskType, string ParamsJson)
{
    public string JobId { get; init; } = RowIds.New();
    public int Priority { get; init; } = 5;
    public int MaxRetries { get; init; } = 3;
    public string? IdempotencyKey { get; init; }
    /// <summary>Epoch milliseconds before which the job is not claimed; 0 for at once.</summary>
    public long RunAfter { get; init; }
    public double? TimeoutSeconds { get; init; }
    public string? CreatedBy { get; init; }
    public string? ParentJobId { get; init; }
    /// <summary>The job's own webhook (issue 16): told how the job ended, signed with WEBHOOK_JOB_SECRET.</summary>
    public string? WebhookUrl { get; init; }
}
