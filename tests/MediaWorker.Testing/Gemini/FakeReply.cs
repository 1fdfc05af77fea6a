using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MediaWorker.Testing.Gemini;

/// <summary>A scripted HTTP answer of the fake Gemini server.</summary>
public sealed partial record FakeReply(int Status, string Body)
{
    public Dictionary<string, string> Headers { get; init; } = [];

    /// <summary>A generateContent answer whose text is <paramref name="answer"/> serialised.</summary>
    public static FakeReply Answer(JsonNode answer, int promptTokens = 100, int outputTokens = 50) =>
        Text(answer.ToJsonString(), promptTokens, outputTokens);

    /// <summary>A generateContent answer with this exact text (which may be malformed JSON).</summary>
    public static FakeReply Text(string text, int promptTokens = 100, int outputTokens = 50, string finishReason = "STOP") => new(200, new JsonObject
    {
        ["candidates"] = new JsonArray(new JsonObject
        {
            ["content"] = new JsonObject { ["role"] = "model", ["parts"] = new JsonArray(new JsonObject { ["text"] = text }) },
            ["finishReason"] = finishReason,
            ["index"] = 0,
        }),
        ["usageMetadata"] = new JsonObject
        {
            ["promptTokenCount"] = promptTokens,
            ["candidatesTokenCount"] = outputTokens,
            ["totalTokenCount"] = promptTokens + outputTokens,
        },
        ["modelVersion"] = "fake-model-001",
    }.ToJsonString());

    /// <summary>A google.rpc.Status error body, optionally with a RetryInfo detail.</summary>
    public static FakeReply Error(int status, string statusName, string message, string? retryDelay = null)
    {
        var error = new JsonObject { ["code"] = status, ["message"] = message, ["status"] = statusName };
        if (retryDelay is not null)
        {
            error["details"] = new JsonArray(
                new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.QuotaFailure", ["violations"] = new JsonArray() },
                new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.RetryInfo", ["retryDelay"] = retryDelay });
        }

        return new FakeReply(status, new JsonObject { ["error"] = error }.ToJsonString());
    }

    /// <summary>A prompt blocked by the safety filters (no candidates, promptFeedback.blockReason).</summary>
    public static FakeReply PromptBlocked(string reason = "SAFETY") => new(200, new JsonObject
    {
        ["promptFeedback"] = new JsonObject
        {
            ["blockReason"] = reason,
            ["safetyRatings"] = new JsonArray(
                new JsonObject { ["category"] = "HARM_CATEGORY_DANGEROUS_CONTENT", ["probability"] = "HIGH", ["blocked"] = true },
                new JsonObject { ["category"] = "HARM_CATEGORY_HARASSMENT", ["probability"] = "NEGLIGIBLE" }),
        },
        ["usageMetadata"] = new JsonObject { ["promptTokenCount"] = 10, ["totalTokenCount"] = 10 },
    }.ToJsonString());

    /// <summary>An answer stopped by the safety filters (candidate finishReason SAFETY).</summary>
    public static FakeReply AnswerBlocked(string reason = "SAFETY") => new(200, new JsonObject
    {
        ["candidates"] = new JsonArray(new JsonObject
        {
            ["finishReason"] = reason,
            ["safetyRatings"] = new JsonArray(new JsonObject { ["category"] = "HARM_CATEGORY_SEXUALLY_EXPLICIT", ["probability"] = "HIGH", ["blocked"] = true }),
        }),
    }.ToJsonString());

    /// <summary>
    /// Answers highlight_detect's scoring calls: every segment the prompt lists ("[i] mm:ss-mm:ss")
    /// gets an entry, scored high where <paramref name="high"/> says so, with the given confidence.
    /// </summary>
    public static Func<JsonObject, FakeReply> HighlightScorer(Func<int, bool> high, Func<int, double>? confidence = null) => request =>
    {
        var prompt = request["contents"]![0]!["parts"]!.AsArray().Select(p => p!["text"]?.GetValue<string>()).Last(t => t is not null)!;
        var entries = SegmentLine().Matches(prompt).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Select(i => (JsonNode)new JsonObject
        {
            ["index"] = i,
            ["scores"] = new JsonObject { ["excitement"] = high(i) ? 9 : 2, ["information"] = high(i) ? 8 : 3, ["emotion"] = high(i) ? 9 : 1, ["standalone"] = high(i) },
            ["confidence"] = confidence?.Invoke(i) ?? 0.9,
            ["reason"] = high(i) ? $"Segment {i} is gripping." : $"Segment {i} is calm.",
        }).ToArray();
        return Answer(new JsonObject { ["segments"] = new JsonArray(entries) });
    };

    [GeneratedRegex(@"^\[(\d+)\] ", RegexOptions.Multiline)]
    private static partial Regex SegmentLine();
}
