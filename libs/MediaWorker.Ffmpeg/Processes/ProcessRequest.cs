namespace MediaWorker.Ffmpeg.Processes;

/// <summary>What to run: an executable and its arguments as a list (never a shell string), plus how to treat its output.</summary>
/// <remarks>
/// Each argument reaches the program exactly as given: no shell parses it, so quotes, spaces,
/// <c>;</c> or <c>$(...)</c> inside a file name are just characters.
/// </remarks>
public sealed class ProcessRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="fileName">An absolute path, a relative path containing '/', or a bare name looked up on <c>PATH</c>.</param>
    /// <param name="arguments">The arguments, one list element per argument.</param>
    public ProcessRequest(string fileName, IEnumerable<string> arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        FileName = fileName;
        Arguments = [.. arguments];
    }

    /// <summary>The executable to run.</summary>
    public string FileName { get; }

    /// <summary>The arguments, one element per argument.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>
    /// The longest the process may run; when it passes, the process and everything it started are
    /// killed and <see cref="ProcessTimeoutException"/> is thrown. <see langword="null"/> for no limit.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Reads standard output as it is produced (raw bytes, e.g. PCM audio or JSON). Whatever it
    /// leaves unread is drained afterwards so the process never blocks on a full pipe. If it
    /// throws, the process is killed and the exception propagates. <see langword="null"/> discards
    /// standard output (it is still drained).
    /// </summary>
    public Func<Stream, CancellationToken, Task>? StandardOutput { get; init; }

    /// <summary>Called for every line of standard error, on the thread that drains it.</summary>
    public Action<string>? StandardErrorLine { get; init; }

    /// <summary>Decides which standard error lines are kept in <see cref="ProcessResult.StandardErrorTail"/>; <see langword="null"/> keeps all.</summary>
    public Func<string, bool>? KeepStandardErrorLine { get; init; }

    /// <summary>How many of the last standard error lines to keep for error messages (default 64).</summary>
    public int StandardErrorTailLines { get; init; } = 64;

    /// <summary>The working directory, or <see langword="null"/> for the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Asks the process to stop gracefully: when it fires, the process gets SIGINT (ffmpeg then
    /// finishes the file it is writing and exits), and is killed if it is still running after
    /// <see cref="InterruptGrace"/>. The run then returns normally with
    /// <see cref="ProcessResult.Interrupted"/> set, whatever the exit code; the cancellation token
    /// stays the way to kill at once.
    /// </summary>
    public CancellationToken Interrupt { get; init; }

    /// <summary>How long an interrupted process may take to exit before it is killed (default 2 s).</summary>
    public TimeSpan InterruptGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Environment variables to set (a <see langword="null"/> value removes one) on top of this process's environment.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }
}
