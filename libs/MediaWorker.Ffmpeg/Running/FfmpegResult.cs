namespace MediaWorker.Ffmpeg.Running;

/// <summary>A successful ffmpeg run.</summary>
/// <param name="Arguments">Every argument ffmpeg was given, including the ones the runner adds.</param>
/// <param name="StandardErrorTail">The last lines ffmpeg wrote to standard error (warnings, if the log level lets them through).</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record FfmpegResult(IReadOnlyList<string> Arguments, IReadOnlyList<string> StandardErrorTail, TimeSpan Elapsed)
{
    /// <summary>True when the run was stopped through <see cref="FfmpegRunOptions.Interrupt"/> rather than ending by itself.</summary>
    public bool Interrupted { get; init; }

    /// <summary>The command line for logs, with arguments quoted where a shell would need it (it is never run by a shell).</summary>
    public string CommandLine => "ffmpeg " + string.Join(' ', Arguments.Select(Quote));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
