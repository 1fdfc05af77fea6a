using MediaWorker.Ffmpeg.Scenes;

namespace MediaWorker.Plugins.Gemini.Highlights;

/// <summary>Cuts the media into the segments that are scored: scenes, or fixed windows.</summary>
internal static class SegmentPlanner
{
    /// <summary>Fixed windows of <paramref name="window"/> seconds; the last one may be shorter.</summary>
    public static IReadOnlyList<Segment> Fixed(double duration, double window) =>
        Split(0, duration, window).Select((s, i) => s with { Index = i }).ToArray();

    /// <summary>
    /// The scenes, each split evenly into parts no longer than <paramref name="window"/> seconds: a
    /// long scene holds more than one moment, and a segment must fit inside a highlight's maximum.
    /// </summary>
    public static IReadOnlyList<Segment> FromScenes(IReadOnlyList<Scene> scenes, double window) =>
        scenes.SelectMany(s => Split(s.Start.TotalSeconds, s.End.TotalSeconds, window)).Select((s, i) => s with { Index = i }).ToArray();

    private static IEnumerable<Segment> Split(double start, double end, double window)
    {
        var parts = Math.Max(1, (int)Math.Ceiling(((end - start) / window) - 1e-9));
        var length = (end - start) / parts;
        for (var i = 0; i < parts; i++)
        {
            yield return new Segment(0, start + (i * length), i == parts - 1 ? end : start + ((i + 1) * length));
        }
    }
}
