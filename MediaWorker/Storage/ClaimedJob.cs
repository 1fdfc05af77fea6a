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

    /// <summary>
    /// The job's own <c>webhook_url</c> (null: none), when <see cref="WebhookUrlRead"/>: the SQLite
    /// claim returns it, so the outcome's webhook needs no look-up per job (the column is written
    /// only at submit).
    /// </summary>
    public string? WebhookUrl { get; init; }

    /// <summary>Whether the claim read <see cref="WebhookUrl"/>; false: it is looked up when needed.</summary>
    public bool WebhookUrlRead { get; init; }

    public int MaxAttempts => MaxRetries + 1;

    public bool IsLastAttempt => Attempt >= MaxAttempts;
}
