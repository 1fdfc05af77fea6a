using System.Diagnostics;
using System.Globalization;
using MediaWorker.WhisperModels;

namespace MediaWorker.Cli;

/// <summary>
/// The progress of <c>models pull</c> on stderr: a bar redrawn in place on a terminal (at most ten
/// times a second), one line per tenth of the file when stderr is a file or a pipe.
/// </summary>
internal sealed class ModelsProgressBar(TextWriter output, bool interactive) : IProgress<DownloadProgress>
{
    private const int Width = 30;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);
    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();
    private TimeSpan _lastDraw = TimeSpan.MinValue;
    private int _lastTenth = -1;
    private bool _drawn;

    public void Report(DownloadProgress value)
    {
        var fraction = value.Total is > 0 and var total ? Math.Clamp(value.Received / (double)total, 0, 1) : 0;
        var rate = (value.Received - value.Resumed) / Math.Max(0.001, _sinceStart.Elapsed.TotalSeconds);
        var text = string.Create(CultureInfo.InvariantCulture, $"{Mib(value.Received)}/{(value.Total is { } t ? Mib(t) : "?")} MiB {Mib((long)rate)} MiB/s{(value.Resumed > 0 ? $" (resumed at {Mib(value.Resumed)} MiB)" : string.Empty)}");
        if (interactive)
        {
            if (_sinceStart.Elapsed - _lastDraw < RedrawInterval && value.Received != value.Total)
            {
                return;
            }

            _lastDraw = _sinceStart.Elapsed;
            var filled = (int)(fraction * Width);
            output.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {fraction * 100,3:0}% {text}   "));
            _drawn = true;
            return;
        }

        var tenth = (int)(fraction * 10);
        if (tenth != _lastTenth)
        {
            _lastTenth = tenth;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{tenth * 10,3}% {text}"));
        }
    }

    /// <summary>Ends the bar's line.</summary>
    public void Finish()
    {
        if (_drawn)
        {
            output.WriteLine();
            _drawn = false;
        }
    }

    /// <summary>Bytes as MiB with one decimal.</summary>
    public static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture);
}
