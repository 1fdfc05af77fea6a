namespace MediaWorker.Plugins.Abstractions;

/// <summary>
/// The job cannot succeed however often it is retried: invalid parameters, missing or unreadable
/// input, unsupported formats. The job ends <c>failed</c> at once with <see cref="Exception.Message"/>
/// as its <c>error_message</c>, so write it for a person: what was wrong and how to fix it.
/// </summary>
public sealed class PermanentJobException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PermanentJobException()
        : base("The job cannot succeed with these parameters.")
    {
    }

    /// <summary>Creates the exception with a message for the job's <c>error_message</c>.</summary>
    public PermanentJobException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the fault behind it.</summary>
    public PermanentJobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A passing fault (a service briefly down, a rate limit): the job goes back to the queue with
/// exponential backoff while attempts remain, then ends <c>failed</c>.
/// </summary>
public sealed class RetryableJobException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RetryableJobException()
        : base("A passing fault stopped the job; it will be retried.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RetryableJobException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the fault behind it.</summary>
    public RetryableJobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The earliest delay before the next attempt, for example a server's <c>Retry-After</c>.
    /// The host waits at least this long, and at least its own backoff.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>
/// Thrown by <see cref="IJobCheckpoints.CommitAsync"/> when the attempt no longer owns its job
/// (another worker reclaimed it after this one stalled, or it was settled): nothing was written,
/// and whatever the attempt does next is discarded. Let it propagate.
/// </summary>
public sealed class JobLeaseLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobLeaseLostException()
        : base("This attempt lost the job's lease; nothing was written.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public JobLeaseLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the fault behind it.</summary>
    public JobLeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
