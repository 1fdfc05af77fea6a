using System.Globalization;
using System.Text;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary>
/// Collects the frames ffmpeg's <c>metadata=print</c> filter reports, one <c>frame:N pts:P pts_time:T</c>
/// line each, so a task knows exactly which frames a filter chain let through and when they were.
/// </summary>
internal sealed class PrintedFrames
{
    private const string TimeKey = "pts_time:";
    private readonly List<TimeSpan> _times = [];

    public IReadOnlyList<TimeSpan> Times => _times;

    public int Count => _times.Count;

    /// <summary>Reads ffmpeg's standard output to its end (pass as <c>FfmpegRunOptions.StandardOutput</c>).</summary>
    public async Task ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var at = line.IndexOf(TimeKey, StringComparison.Ordinal);
            if (line.StartsWith("frame:", StringComparison.Ordinal) && at >= 0
                && double.TryParse(line.AsSpan(at + TimeKey.Length).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                _times.Add(TimeSpan.FromSeconds(seconds));
            }
        }
    }
}
