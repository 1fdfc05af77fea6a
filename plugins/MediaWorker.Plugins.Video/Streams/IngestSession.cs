using System.Globalization;
using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Video.Common;

namespace MediaWorker.Plugins.Video.Streams;

/// <summary>How one connection to the source ended.</summary>
internal enum SessionEnd
{
    /// <summary>Stopped on purpose: the job was cancelled or stopped, or max_duration_seconds was reached.</summary>
    Stopped,

    /// <summary>ffmpeg exited by itself without an error, and the source's protocol said the stream ended there (see <see cref="HttpEndSignal"/>).</summary>
    Finished,

    /// <summary>ffmpeg exited by itself without an error, with no sign of whether the source ended the stream or dropped it.</summary>
    SourceClosed,

    /// <summary>No data for stall_seconds: counted as a dropped connection.</summary>
    Stalled,

    /// <summary>ffmpeg failed (connection refused, reset, bad data).</summary>
    Failed,
}

/// <summary>What a session did: how it ended, and when data first and last arrived.</summary>
internal sealed record SessionResult(SessionEnd End, DateTimeOffset? FirstData, DateTimeOffset? LastData, FfmpegException? Failure);

/// <summary>
/// One connection to a live source: ffmpeg's segment muxer cuts it into files that each play alone
/// (cuts on keyframes, timestamps reset per segment, stream copy unless re-encoding is asked for),
/// and writes its segment list to standard output, one line as each segment is complete. A
/// watchdog reads ffmpeg's progress twice a second and stops a session whose input has stalled.
/// </summary>
internal sealed class IngestSession(VideoServices services, MediaInput input, StreamIngestOptions options, string segmentFolder, TimeProvider time)
{
    private static readonly TimeSpan ProgressPeriod = TimeSpan.FromMilliseconds(500);

    /// <summary>Extra time before a connection's first data: ffmpeg reads up to 5 s of a live input to identify its streams before it writes anything.</summary>
    public static readonly TimeSpan StartAllowance = TimeSpan.FromSeconds(10);

    /// <summary>Runs until the source ends, fails or stalls, or <paramref name="stop"/> fires; every completed segment goes to <paramref name="onSegment"/>.</summary>
    /// <param name="firstIndex">The number the first segment file gets.</param>
    /// <param name="remaining">How much more media to record, or <see langword="null"/> for no limit.</param>
    /// <param name="onSegment">Called, in order, for each completed segment (with the wall time of the session's first data).</param>
    /// <param name="stop">Stops the session gracefully: the current segment is finished and reported.</param>
    public async Task<SessionResult> RunAsync(long firstIndex, TimeSpan? remaining, Func<SegmentListLine, DateTimeOffset, Task> onSegment, CancellationToken stop)
    {
        var watch = new DataWatch(time);
        using var stalled = new CancellationTokenSource();
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(stop, stalled.Token);
        // Only a failure to stop gracefully ends in a kill: ffmpeg gets SIGINT first and the grace period after.
        using var kill = new CancellationTokenSource();
        using var killLater = stop.Register(() => kill.CancelAfter(TimeSpan.FromSeconds(5)));
        using var watchdogDone = new CancellationTokenSource();
        var watchdog = WatchAsync(watch, stalled, watchdogDone.Token);

        var arguments = Arguments(firstIndex, remaining);
        var httpEnd = HttpEndSignal.For(input);
        FfmpegException? failure = null;
        try
        {
            await services.Ffmpeg.RunAsync(arguments, new FfmpegRunOptions
            {
                // Progress lines are read for the stall watchdog only.
                Progress = new Progress<int>(),
                ProgressPeriod = ProgressPeriod,
                StandardErrorLine = line =>
                {
                    watch.OnLine(line);
                    return httpEnd?.OnLine(line) ?? false;
                },
                LogLevel = httpEnd is null ? "error" : HttpEndSignal.LogLevel,
                StandardOutput = (stream, _) => ReadSegmentListAsync(stream, watch, onSegment),
                WorkingDirectory = segmentFolder,
                Interrupt = interrupt.Token,
                InterruptGrace = TimeSpan.FromSeconds(2),
            }, kill.Token);
        }
        catch (FfmpegException ex)
        {
            failure = ex;
        }
        finally
        {
            await watchdogDone.CancelAsync();
            await watchdog;
        }

        // With -t, reaching max_duration_seconds also ends ffmpeg without an error; the caller
        // tells that from a closed source by what has been recorded.
        var end = stop.IsCancellationRequested ? SessionEnd.Stopped
            : stalled.IsCancellationRequested ? SessionEnd.Stalled
            : failure is not null ? SessionEnd.Failed
            : httpEnd?.Complete == true ? SessionEnd.Finished
            : SessionEnd.SourceClosed;
        return new SessionResult(end, watch.FirstData, watch.LastData, failure);
    }

    private List<string> Arguments(long firstIndex, TimeSpan? remaining)
    {
        var microseconds = ((long)options.StallTimeout.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);
        // rw_timeout: a read that blocks this long fails, so a silent TCP connection ends the session too.
        List<string> arguments = [.. input.Arguments("-rw_timeout", microseconds), "-map", "0:v?", "-map", "0:a?", "-dn", "-sn"];
        arguments.AddRange(options.Reencode
            ? ["-c:v", "libx264", "-preset", "veryfast", "-force_key_frames", $"expr:gte(t,n_forced*{FfmpegArguments.Seconds(options.SegmentLength)})", "-threads", FfmpegArguments.Integer(services.ThreadsPerJob), "-c:a", "aac"]
            : ["-c", "copy"]);
        if (remaining is { } left)
        {
            arguments.AddRange(["-t", FfmpegArguments.Seconds(left)]);
        }

        arguments.AddRange(
        [
            "-f", "segment", "-segment_time", FfmpegArguments.Seconds(options.SegmentLength), "-reset_timestamps", "1",
            "-segment_format", "mpegts", "-segment_start_number", firstIndex.ToString(CultureInfo.InvariantCulture),
            "-segment_list", "pipe:1", "-segment_list_type", "csv", SegmentListLine.Pattern,
        ]);
        return arguments;
    }

    private static async Task ReadSegmentListAsync(Stream stream, DataWatch watch, Func<SegmentListLine, DateTimeOffset, Task> onSegment)
    {
        using var reader = new StreamReader(stream, leaveOpen: true);
        while (await reader.ReadLineAsync() is { } line)
        {
            if (SegmentListLine.TryParse(line) is { } segment)
            {
                watch.OnSegment();
                await onSegment(segment, watch.FirstData ?? DateTimeOffset.MinValue);
            }
        }
    }

    private async Task WatchAsync(DataWatch watch, CancellationTokenSource stalled, CancellationToken done)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), time);
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                var allowed = watch.FirstData is null ? options.StallTimeout + StartAllowance : options.StallTimeout;
                if (time.GetUtcNow() - watch.LastSign > allowed)
                {
                    await stalled.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Follows ffmpeg's <c>-progress</c> output: data is flowing while <c>total_size</c> or
    /// <c>out_time_us</c> grows. Written by the standard error thread, read by the watchdog.
    /// </summary>
    private sealed class DataWatch(TimeProvider time)
    {
        private readonly Lock _gate = new();
        private readonly DateTimeOffset _started = time.GetUtcNow();
        private string _lastSize = string.Empty;
        private string _lastTime = string.Empty;
        private DateTimeOffset? _firstData;
        private DateTimeOffset? _lastData;

        public DateTimeOffset? FirstData
        {
            get
            {
                lock (_gate)
                {
                    return _firstData;
                }
            }
        }

        public DateTimeOffset? LastData
        {
            get
            {
                lock (_gate)
                {
                    return _lastData;
                }
            }
        }

        /// <summary>The last sign of life: data, or the session's start while it connects.</summary>
        public DateTimeOffset LastSign
        {
            get
            {
                lock (_gate)
                {
                    return _lastData ?? _started;
                }
            }
        }

        public void OnLine(string line)
        {
            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                return;
            }

            var key = line.AsSpan(0, separator);
            var value = line[(separator + 1)..];
            lock (_gate)
            {
                if (key.SequenceEqual("total_size") && value != _lastSize && value is not ("0" or "N/A"))
                {
                    _lastSize = value;
                    Advanced();
                }
                else if (key.SequenceEqual("out_time_us") && value != _lastTime && value is not ("0" or "N/A"))
                {
                    _lastTime = value;
                    Advanced();
                }
            }
        }

        public void OnSegment()
        {
            lock (_gate)
            {
                Advanced();
            }
        }

        private void Advanced()
        {
            var now = time.GetUtcNow();
            _firstData ??= now;
            _lastData = now;
        }
    }
}
