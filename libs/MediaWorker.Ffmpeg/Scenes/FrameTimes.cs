using System.Globalization;

namespace MediaWorker.Ffmpeg.Scenes;

/// <summary>The <c>pts_time</c> of every frame <c>metadata=print</c> reports (<c>frame:3 pts:3003 pts_time:1.2</c>), in order.</summary>
internal sealed class FrameTimes
{
    private const string TimeKey = "pts_time:";
    private readonly List<TimeSpan> _times = [];
    private readonly Lock _gate = new();

    /// <summary>True for the lines this reads, so they can be kept out of error messages.</summary>
    public static bool IsFrameLine(string line) => line.StartsWith("frame:", StringComparison.Ordinal) || line.StartsWith("mw.frame=", StringComparison.Ordinal);

    public IReadOnlyList<TimeSpan> Times
    {
        get
        {
            lock (_gate)
            {
                return [.. _times];
            }
        }
    }

    public void OnLine(string line)
    {
        var at = line.IndexOf(TimeKey, StringComparison.Ordinal);
        if (line.StartsWith("frame:", StringComparison.Ordinal) && at >= 0
            && double.TryParse(line.AsSpan(at + TimeKey.Length).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            lock (_gate)
            {
                _times.Add(TimeSpan.FromSeconds(seconds));
            }
        }
    }
}
