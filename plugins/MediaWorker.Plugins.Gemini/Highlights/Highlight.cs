using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Gemini.Highlights;

/// <summary>A detected highlight: one or more adjacent highlight segments, padded to the minimum length.</summary>
internal sealed record Highlight(double Start, double End, double Score, double Confidence, IReadOnlyDictionary<string, double> DimensionScores, string Reason)
{
    public double Duration => End - Start;

    public JsonObject ToJson()
    {
        var dimensions = new JsonObject();
        foreach (var (name, value) in DimensionScores)
        {
            dimensions[name] = Math.Round(value, 4);
        }

        return new JsonObject
        {
            ["start"] = Math.Round(Start, 3),
            ["end"] = Math.Round(End, 3),
            ["score"] = Math.Round(Score, 4),
            ["confidence"] = Math.Round(Confidence, 4),
            ["dimension_scores"] = dimensions,
            ["reason"] = Reason,
        };
    }
}
