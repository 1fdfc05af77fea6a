namespace MediaWorker.JobRequests;

/// <summary>Why a request about a job cannot be done; the message is the one line the CLI prints.</summary>
public enum JobRequestFailure
{
    /// <summary>No such job.</summary>
    NotFound,

    /// <summary>The job is in a state that does not allow it (already finished, not failed, ...).</summary>
    Conflict,
}

/// <summary>
/// A request about a job that cannot be done as asked. A runtime failure for the CLI (exit 1), a
/// 404 or 409 problem for the HTTP API: both show <see cref="Exception.Message"/>.
/// </summary>
public sealed class JobRequestException : InvalidOperationException
{
    public JobRequestException()
    {
    }

    public JobRequestException(string message)
        : base(message)
    {
    }

    public JobRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public JobRequestException(JobRequestFailure failure, string message)
        : base(message) => Failure = failure;

    public JobRequestFailure Failure { get; }
}
