namespace MediaWorker.Storage;

/// <summary>A job this worker holds a lease on. <see cref="LeaseToken"/> fences every later write.</summary>
public sealed record ClaimedJob(
    long Id,
    string JobId,
    string TaskType,
    string? ParamsJson,
    int Attempt,
    int MaxRetries,
    double? TimeoutSeconds,
    long CreatedAt,
    long StartedAt,
    string LeaseToken)
{
    /// <summary>The row's priority (higher runs first); claims are returned in priority, age, id order.</summary>
    public int Priority { get; init; } = 5;

    /// <summary>A run_after that is not a number (a foreign producer's text), quoted: the claim took the row as due, and it fails unrun.</summary>
    public string? UnreadableRunAfter { get; init; }

    public int MaxAttempts => MaxRetries + 1;

    public bool IsLastAttempt => Attempt >= MaxAttempts;
}
