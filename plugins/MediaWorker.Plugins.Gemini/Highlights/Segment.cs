using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Gemini.Highlights;

/// <summary>A stretch of the media that is scored as a unit, in seconds.</summary>
internal sealed record Segment(int Index, double Start, double End)
{
    public double Duration => End - Start;
}

/// <summary>A segment's scores: the weighted score and confidence (0-1), each dimension's score (0-1) and why.</summary>
internal sealed record SegmentScore(Segment Segment, double Score, double Confidence, IReadOnlyDictionary<string, double> DimensionScores, string Reason, bool IsHighlight)
{
    public JsonObject ToJson() => new()
    {
        ["start"] = Math.Round(Segment.Start, 3),
        ["end"] = Math.Round(Segment.End, 3),
        ["score"] = Math.Round(Score, 4),
        ["confidence"] = Math.Round(Confidence, 4),
        ["highlight"] = IsHighlight,
    };
}
