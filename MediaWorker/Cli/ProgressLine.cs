using System.Globalization;
using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary>
/// A job's live progress for a person: on a terminal one line redrawn in place (a bar, percent,
/// elapsed time, status); into a pipe or a file a plain line per change of status or tenth of progress.
/// </summary>
public sealed class ProgressLine(TextWriter output, bool terminal, TimeProvider time)
{
    private const int BarWidth = 24;
    private readonly long _started = time.GetTimestamp();
    private string? _lastPlain;
    private bool _drawn;

    /// <summary>For standard error: a terminal unless it is redirected or TERM is dumb.</summary>
    public static ProgressLine ForStandardError() =>
        new(Console.Error, !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb", TimeProvider.System);

    public void Show(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var percent = Math.Clamp((int)job.Progress, 0, 100);
        var elapsed = time.GetElapsedTime(_started);
        var attempt = job.Attempts > 1 ? $" (attempt {job.Attempts.ToString(CultureInfo.InvariantCulture)}/{(job.MaxRetries + 1).ToString(CultureInfo.InvariantCulture)})" : string.Empty;
        if (terminal)
        {
            var filled = percent * BarWidth / 100;
            output.Write($"\r\u001b[2K[{new string('#', filled)}{new string('-', BarWidth - filled)}] {percent,3}%  {Elapsed(elapsed)}  {job.Status}{attempt}");
            _drawn = true;
            if (JobStatus.IsFinished(job.Status))
            {
                Finish();
            }

            output.Flush();
            return;
        }

        var key = $"{job.Status} {percent / 10} {job.Attempts}";
        if (key == _lastPlain)
        {
            return;
        }

        _lastPlain = key;
        output.WriteLine($"{job.JobId} {job.Status}{attempt} {percent}% {Elapsed(elapsed)}");
        output.Flush();
    }

    /// <summary>Ends the redrawn line so what follows starts on a line of its own.</summary>
    public void Finish()
    {
        if (terminal && _drawn)
        {
            output.WriteLine();
            _drawn = false;
        }
    }

    internal static string Elapsed(TimeSpan elapsed) => elapsed.TotalHours >= 1
        ? elapsed.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : elapsed.ToString(@"mm\:ss", CultureInfo.InvariantCulture);
}
