namespace MediaWorker.Ffmpeg.Running;

/// <summary>How one ffmpeg run is watched and bounded.</summary>
public sealed record FfmpegRunOptions
{
    /// <summary>
    /// The duration of the output ffmpeg will write (the input's duration, or the cut's length),
    /// against which <c>out_time_us</c> becomes a percentage. Without it only 100 is reported, at the end.
    /// </summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>
    /// Receives percentages from 0 to 100: increasing only, 99 at most while ffmpeg runs, and 100
    /// once it has exited successfully. <see langword="null"/> leaves <c>-progress</c> off.
    /// </summary>
    public IProgress<int>? Progress { get; init; }

    /// <summary>The longest ffmpeg may run before it is killed and <see cref="FfmpegException"/> (with <see cref="FfmpegException.TimedOut"/>) is thrown.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Reads ffmpeg's standard output as raw bytes (for an output of <c>pipe:1</c>, such as PCM
    /// audio). When set, progress is read from standard error instead of standard output.
    /// </summary>
    public Func<Stream, CancellationToken, Task>? StandardOutput { get; init; }

    /// <summary>
    /// Called with every line ffmpeg writes to standard error (for a filter that prints to
    /// <c>pipe:2</c>); a line for which it returns true is the caller's and is kept out of error messages.
    /// </summary>
    public Func<string, bool>? StandardErrorLine { get; init; }

    /// <summary>
    /// The folder ffmpeg runs in, or <see langword="null"/> for the current one. An output pattern
    /// (<c>frame_%04d.jpg</c>, HLS's <c>%v/index.m3u8</c>) is best given relative to it: ffmpeg
    /// reads every <c>%</c> of a pattern, so a folder name containing one would corrupt it.
    /// </summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Stops ffmpeg gracefully when it fires (SIGINT: the outputs are finished and closed, a
    /// segment muxer's last segment is written out), killing it if it has not exited after
    /// <see cref="InterruptGrace"/>. The run then returns normally with
    /// <see cref="FfmpegResult.Interrupted"/> set. For live inputs, which never end by themselves.
    /// </summary>
    public CancellationToken Interrupt { get; init; }

    /// <summary>How long ffmpeg may take to exit after <see cref="Interrupt"/> (default 2 s).</summary>
    public TimeSpan InterruptGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Seconds between <c>-progress</c> reports (ffmpeg's <c>-stats_period</c>); <see langword="null"/>
    /// for ffmpeg's default. A shorter period lets a caller notice a stalled input sooner.
    /// </summary>
    public TimeSpan? ProgressPeriod { get; init; }

    /// <summary>ffmpeg's <c>-loglevel</c> (default <c>error</c>: only what explains a failure).</summary>
    public string LogLevel { get; init; } = "error";
}
