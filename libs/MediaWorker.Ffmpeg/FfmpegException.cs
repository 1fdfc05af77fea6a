namespace MediaWorker.Ffmpeg;

/// <summary>
/// ffmpeg or ffprobe failed. <see cref="Exception.Message"/> is ffmpeg's reason condensed into
/// one readable line (for example "moov atom not found: the MP4 is truncated or incomplete"),
/// fit for a job's <c>error_message</c>; the raw lines are in <see cref="StandardErrorTail"/>.
/// </summary>
public sealed class FfmpegException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FfmpegException()
        : this("ffmpeg failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public FfmpegException(string message)
        : base(message)
    {
        StandardErrorTail = [];
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public FfmpegException(string message, Exception innerException)
        : base(message, innerException)
    {
        StandardErrorTail = [];
    }

    /// <summary>Creates the exception for a run that ended with <paramref name="exitCode"/>.</summary>
    /// <param name="message">The condensed, readable reason.</param>
    /// <param name="exitCode">The program's exit code, or <see langword="null"/> when it was killed for its time limit.</param>
    /// <param name="standardErrorTail">The last lines the program wrote to standard error.</param>
    /// <param name="innerException">The cause, if any (e.g. the timeout).</param>
    public FfmpegException(string message, int? exitCode, IReadOnlyList<string> standardErrorTail, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
        StandardErrorTail = standardErrorTail;
    }

    /// <summary>The exit code, or <see langword="null"/> when the program did not exit by itself (time limit) or never ran.</summary>
    public int? ExitCode { get; }

    /// <summary>True when the program was killed because it exceeded its time limit.</summary>
    public bool TimedOut => InnerException is TimeoutException;

    /// <summary>The last lines of standard error, oldest first.</summary>
    public IReadOnlyList<string> StandardErrorTail { get; }
}
