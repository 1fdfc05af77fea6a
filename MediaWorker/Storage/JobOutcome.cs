namespace MediaWorker.Storage;

/// <summary>How an attempt ended, as written to the row.</summary>
public enum OutcomeKind
{
    /// <summary>Success: <c>completed</c> with the output; follow-ups are inserted in the same transaction.</summary>
    Completed,

    /// <summary>A retryable failure with attempts left: back to <c>queued</c> after a backoff.</summary>
    Retry,

    /// <summary>A permanent failure or the last attempt: <c>failed</c> with the error message.</summary>
    Failed,

    /// <summary>Cancelled on request: <c>cancelled</c>.</summary>
    Cancelled,

    /// <summary>Interrupted by a graceful shutdown: back to <c>queued</c> without spending the attempt.</summary>
    Requeued,
}

/// <summary>The result of one attempt, ready to be written under the job's lease.</summary>
public sealed record JobOutcome(OutcomeKind Kind)
{
    public string? OutputJson { get; init; }
    public string? ErrorMessage { get; init; }
    /// <summary>For <see cref="OutcomeKind.Retry"/>: epoch ms of the next attempt.</summary>
    public long RunAfter { get; init; }
    public IReadOnlyList<NewJob> FollowUps { get; init; } = [];
}
