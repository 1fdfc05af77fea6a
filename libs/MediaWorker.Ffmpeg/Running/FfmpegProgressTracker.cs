using System.Globalization;

namespace MediaWorker.Ffmpeg.Running;

/// <summary>
/// Turns ffmpeg's <c>-progress</c> key=value lines into percentages: <c>out_time_us</c> against the
/// expected output duration, never going back, and held below 100 until the run has succeeded.
/// </summary>
internal sealed class FfmpegProgressTracker(TimeSpan? duration, IProgress<int>? progress)
{
    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal)
    {
        "frame", "fps", "bitrate", "total_size", "out_time_us", "out_time_ms", "out_time",
        "dup_frames", "drop_frames", "speed", "progress",
    };

    private int _last = -1;

    /// <summary>The highest percentage reported so far, or -1.</summary>
    public int Last => Volatile.Read(ref _last);

    /// <summary>True for a line of the <c>-progress</c> protocol (so it can be kept out of error messages).</summary>
    public static bool IsProgressLine(string line)
    {
        var eq = line.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            return false;
        }

        var key = line.AsSpan(0, eq);
        return key.StartsWith("stream_", StringComparison.Ordinal) || Keys.Contains(key.ToString());
    }

    public void OnLine(string line)
    {
        const string prefix = "out_time_us=";
        if (progress is null || duration is not { Ticks: > 0 } total || !line.StartsWith(prefix, StringComparison.Ordinal))
        {
            return;
        }

        if (!long.TryParse(line.AsSpan(prefix.Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros) || micros < 0)
        {
            return; // "N/A" before the first frame is written.
        }

        // 100 is reserved for "finished successfully"; the last frame's timestamp may round past the end.
        var percent = (int)Math.Clamp(micros * 10.0 * 100.0 / total.Ticks, 0, 99); // 1 µs = 10 ticks
        Report(percent);
    }

    /// <summary>Reports 100 once the run has succeeded.</summary>
    public void Complete() => Report(100);

    private void Report(int percent)
    {
        // Progress events may arrive from the stdout and stderr drains; only a higher value is reported.
        int last;
        do
        {
            last = Volatile.Read(ref _last);
            if (percent <= last)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _last, percent, last) != last);

        progress?.Report(percent);
    }
}
