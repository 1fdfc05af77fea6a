using System.Globalization;

namespace MediaWorker.Ffmpeg.Scenes;

/// <summary>
/// Reads the lines of ffmpeg's <c>metadata=print</c> filter after <c>select='gt(scene,T)'</c>:
/// <c>frame:3 pts:3003 pts_time:1.2</c> followed by <c>lavfi.scene_score=0.87</c>.
/// </summary>
internal sealed class SceneCutParser
{
    private readonly List<SceneCut> _cuts = [];
    private TimeSpan? _frameTime;

    public IReadOnlyList<SceneCut> Cuts => _cuts;

    public void OnLine(string line)
    {
        const string timeKey = "pts_time:";
        const string scoreKey = "lavfi.scene_score=";
        if (line.StartsWith("frame:", StringComparison.Ordinal))
        {
            var at = line.IndexOf(timeKey, StringComparison.Ordinal);
            _frameTime = at >= 0 && double.TryParse(line.AsSpan(at + timeKey.Length).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : null;
        }
        else if (line.StartsWith(scoreKey, StringComparison.Ordinal) && _frameTime is { } time
            && double.TryParse(line.AsSpan(scoreKey.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
        {
            _cuts.Add(new SceneCut(time, score));
            _frameTime = null;
        }
    }
}
