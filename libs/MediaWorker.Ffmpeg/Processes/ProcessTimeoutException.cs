namespace MediaWorker.Ffmpeg.Processes;

/// <summary>A child process ran longer than its <see cref="ProcessRequest.Timeout"/> and was killed.</summary>
public sealed class ProcessTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public ProcessTimeoutException()
        : base("The child process ran longer than its time limit and was killed.")
    {
        StandardErrorTail = [];
    }

    /// <summary>Creates the exception with a message.</summary>
    public ProcessTimeoutException(string message)
        : base(message)
    {
        StandardErrorTail = [];
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ProcessTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
        StandardErrorTail = [];
    }

    /// <summary>Creates the exception for a process that was killed after <paramref name="limit"/>.</summary>
    public ProcessTimeoutException(string program, TimeSpan limit, IReadOnlyList<string> standardErrorTail)
        : base($"{program} ran longer than its time limit of {limit.TotalSeconds:0.###} s and was killed.")
    {
        Limit = limit;
        StandardErrorTail = standardErrorTail;
    }

    /// <summary>The time limit that passed.</summary>
    public TimeSpan Limit { get; }

    /// <summary>The last lines the process wrote to standard error before it was killed.</summary>
    public IReadOnlyList<string> StandardErrorTail { get; }
}
