using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Gemini.Tests.Support;

/// <summary>Scripted model answers and inputs shared by the tests.</summary>
public static class Samples
{
    /// <summary>A transcript.json as the speech plugin writes it: 3 segments over 42 s.</summary>
    public static string TranscriptJson(int segments = 3, double segmentSeconds = 14) => new JsonObject
    {
        ["language"] = "en",
        ["duration"] = segments * segmentSeconds,
        ["text"] = string.Join(' ', Enumerable.Range(0, segments).Select(SegmentText)),
        ["segments"] = new JsonArray(Enumerable.Range(0, segments).Select(i => (JsonNode)new JsonObject
        {
            ["start"] = i * segmentSeconds,
            ["end"] = (i + 1) * segmentSeconds,
            ["text"] = " " + SegmentText(i),
            ["no_speech_prob"] = 0.01,
            ["words"] = new JsonArray(new JsonObject { ["word"] = "Segment", ["start"] = i * segmentSeconds, ["end"] = (i * segmentSeconds) + 0.5, ["probability"] = 0.98 }),
        }).ToArray()),
    }.ToJsonString();

    public static string SegmentText(int i) => $"Segment {i} talks about topic number {i}.";

    /// <summary>A valid analysis; its timeline is deliberately out of order.</summary>
    public static JsonObject Analysis(bool visualAudit = false, string lastTimestamp = "00:30")
    {
        var analysis = new JsonObject
        {
            ["title"] = "Three topics",
            ["summary"] = "A talk about three topics.",
            ["keyTakeaways"] = new JsonArray("Topic one matters.", "Topic two follows."),
            ["timeline"] = new JsonArray(
                new JsonObject { ["timestamp"] = lastTimestamp, ["description"] = "Topic two", ["details"] = new JsonArray("detail b") },
                new JsonObject { ["timestamp"] = "00:00", ["description"] = "Topic zero", ["details"] = new JsonArray("detail a") }),
            ["keywords"] = new JsonArray("topics", "talk"),
        };
        if (visualAudit)
        {
            analysis["visualAudit"] = new JsonArray(
                new JsonObject { ["timestamp"] = "00:01", ["detail"] = "A blue screen", ["type"] = "scene" },
                new JsonObject { ["timestamp"] = "00:00", ["detail"] = "A title card", ["type"] = "on_screen_text" });
        }

        return analysis;
    }
}
