using MediaWorker.Ffmpeg.Diagnostics;
using MediaWorker.Ffmpeg.Processes;

namespace MediaWorker.Ffmpeg.Running;

/// <summary>
/// Runs ffmpeg with an argument list: quiet (<c>-hide_banner -nostdin -nostats -loglevel error</c>),
/// overwriting outputs (<c>-y</c>), progress parsed from <c>-progress</c>, a time limit, and
/// cancellation that kills ffmpeg and anything it started.
/// </summary>
/// <remarks>Thread-safe; one instance serves every job.</remarks>
/// <param name="paths">Where ffmpeg is (see <see cref="FfmpegToolPaths.FromSettings"/>).</param>
public sealed class FfmpegRunner(FfmpegToolPaths paths)
{
    /// <summary>Where ffmpeg and ffprobe are.</summary>
    public FfmpegToolPaths Paths { get; } = paths ?? throw new ArgumentNullException(nameof(paths));

    /// <summary>Runs ffmpeg to completion.</summary>
    /// <param name="arguments">
    /// Inputs, filters and outputs, e.g. <c>[..input.Arguments(), "-vn", "-c:a", "flac", "out.flac"]</c>.
    /// Global options the runner adds (<c>-y</c>, <c>-loglevel</c>, <c>-progress</c>) come first.
    /// </param>
    /// <param name="options">Progress, time limit and standard output handling; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Kills ffmpeg when it fires; the method returns once ffmpeg is gone.</param>
    /// <returns>What ran and how long it took.</returns>
    /// <exception cref="FfmpegException">ffmpeg failed (the message is its reason in one line) or exceeded the time limit.</exception>
    /// <exception cref="FileNotFoundException">ffmpeg is not installed where <see cref="Paths"/> says.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; ffmpeg has been killed.</exception>
    public async Task<FfmpegResult> RunAsync(IReadOnlyList<string> arguments, FfmpegRunOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        options ??= new FfmpegRunOptions();
        var tracker = new FfmpegProgressTracker(options.Duration, options.Progress);
        var progressOnStdout = options.StandardOutput is null;
        List<string> all = ["-hide_banner", "-nostdin", "-nostats", "-loglevel", options.LogLevel, "-y"];
        if (options.Progress is not null)
        {
            // Standard output is the natural channel, unless the caller reads raw output from it.
            all.AddRange(["-progress", progressOnStdout ? "pipe:1" : "pipe:2"]);
            if (options.ProgressPeriod is { } period)
            {
                all.AddRange(["-stats_period", period.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)]);
            }
        }

        all.AddRange(arguments);
        var request = new ProcessRequest(Paths.Ffmpeg, all)
        {
            Timeout = options.Timeout,
            Interrupt = options.Interrupt,
            InterruptGrace = options.InterruptGrace,
            WorkingDirectory = options.WorkingDirectory,
            StandardOutput = options.StandardOutput ?? (options.Progress is null ? null : (stream, _) => StreamLines.ReadAsync(stream, tracker.OnLine)),
            // Called once per line, in order: progress and the caller's own lines are read here and
            // kept out of the tail that explains a failure.
            KeepStandardErrorLine = line =>
            {
                if (!progressOnStdout)
                {
                    tracker.OnLine(line);
                }

                var callers = options.StandardErrorLine?.Invoke(line) ?? false;
                return !callers && !FfmpegProgressTracker.IsProgressLine(line);
            },
        };
        var result = await ToolInvoker.RunAsync(request, "ffmpeg", FfmpegToolPaths.FfmpegSetting, cancellationToken);
        tracker.Complete();
        return new FfmpegResult(all, result.StandardErrorTail, result.Elapsed) { Interrupted = result.Interrupted };
    }
}
