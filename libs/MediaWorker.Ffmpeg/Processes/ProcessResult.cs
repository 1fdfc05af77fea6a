namespace MediaWorker.Ffmpeg.Processes;

/// <summary>How a child process ended.</summary>
/// <param name="ExitCode">The exit code (0 usually means success).</param>
/// <param name="StandardErrorTail">The last lines of standard error, oldest first (bounded by <see cref="ProcessRequest.StandardErrorTailLines"/>).</param>
/// <param name="Elapsed">Wall time from start to exit.</param>
/// <param name="ProcessId">The process id it had.</param>
public sealed record ProcessResult(int ExitCode, IReadOnlyList<string> StandardErrorTail, TimeSpan Elapsed, int ProcessId)
{
    /// <summary>True when <see cref="ProcessRequest.Interrupt"/> fired before the process exited: it was asked to stop.</summary>
    public bool Interrupted { get; init; }
}
