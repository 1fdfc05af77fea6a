namespace MediaWorker.Plugins.Gemini.Highlights;

/// <summary>
/// Turns scored segments into highlights: runs of adjacent highlight segments merge as long as
/// the result stays within the maximum length; a highlight shorter than the minimum is widened
/// around its centre (inside the media and without overlapping its neighbours).
/// </summary>
internal static class HighlightMerger
{
    /// <summary>Segments this close (seconds) count as adjacent; scene boundaries are rounded to frames.</summary>
    private const double AdjacentGap = 0.5;

    public static IReadOnlyList<Highlight> Merge(IReadOnlyList<SegmentScore> scores, double minSeconds, double maxSeconds, double duration, int? maxHighlights = null)
    {
        var groups = new List<List<SegmentScore>>();
        foreach (var score in scores.Where(s => s.IsHighlight).OrderBy(s => s.Segment.Start))
        {
            var last = groups.Count > 0 ? groups[^1] : null;
            if (last is not null
                && score.Segment.Start - last[^1].Segment.End <= AdjacentGap
                && score.Segment.End - last[0].Segment.Start <= maxSeconds + 1e-9)
            {
                last.Add(score);
            }
            else
            {
                groups.Add([score]);
            }
        }

        var highlights = groups.Select(Combine).ToList();
        if (maxHighlights is { } keep && highlights.Count > keep)
        {
            highlights = highlights.OrderByDescending(h => h.Score).Take(keep).OrderBy(h => h.Start).ToList();
        }

        for (var i = 0; i < highlights.Count; i++)
        {
            var before = i > 0 ? highlights[i - 1].End : 0;
            var after = i < highlights.Count - 1 ? highlights[i + 1].Start : duration;
            highlights[i] = Widen(highlights[i], minSeconds, before, after);
        }

        return highlights;
    }

    private static Highlight Combine(List<SegmentScore> group)
    {
        var total = group.Sum(s => s.Segment.Duration);
        double Mean(Func<SegmentScore, double> value) => total <= 0 ? value(group[0]) : group.Sum(s => value(s) * s.Segment.Duration) / total;
        var dimensions = group[0].DimensionScores.Keys.ToDictionary(k => k, k => Mean(s => s.DimensionScores[k]));
        var reasons = group.Select(s => s.Reason).Where(r => r.Length > 0).Distinct().Take(3);
        return new Highlight(group[0].Segment.Start, group[^1].Segment.End, Mean(s => s.Score), Mean(s => s.Confidence), dimensions, string.Join(" ", reasons));
    }

    private static Highlight Widen(Highlight highlight, double minSeconds, double lowest, double highest)
    {
        var missing = minSeconds - highlight.Duration;
        if (missing <= 0)
        {
            return highlight;
        }

        var start = Math.Max(lowest, highlight.Start - (missing / 2));
        var end = Math.Min(highest, start + minSeconds);
        start = Math.Max(lowest, end - minSeconds);
        return highlight with { Start = start, End = end };
    }
}
