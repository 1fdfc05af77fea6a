using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Gemini.Api;

// The v1beta generateContent request and response, only the fields this plugin uses.
// Names follow the REST reference (camelCase JSON through GeminiJson.Options).

/// <summary>One part of a message: text, or a file uploaded through the File API.</summary>
internal sealed record GeminiPart
{
    public string? Text { get; init; }

    public GeminiFileData? FileData { get; init; }

    public static GeminiPart FromText(string text) => new() { Text = text };

    public static GeminiPart FromFile(GeminiFile file) => new() { FileData = new GeminiFileData(file.MimeType ?? "application/octet-stream", file.Uri ?? file.Name) };
}

internal sealed record GeminiFileData(string MimeType, string FileUri);

/// <summary>A message; <see cref="Role"/> is <c>user</c> or <c>model</c>, and absent for the system instruction.</summary>
internal sealed record GeminiContent(string? Role, IReadOnlyList<GeminiPart> Parts);

internal sealed record GeminiGenerationConfig
{
    public string ResponseMimeType { get; init; } = "application/json";

    /// <summary>The OpenAPI-subset schema the answer must follow (types in upper case).</summary>
    public required JsonObject ResponseSchema { get; init; }

    public double? Temperature { get; init; }

    public int? MaxOutputTokens { get; init; }
}

internal sealed record GenerateContentRequest
{
    public required IReadOnlyList<GeminiContent> Contents { get; init; }

    public GeminiContent? SystemInstruction { get; init; }

    public required GeminiGenerationConfig GenerationConfig { get; init; }
}

internal sealed record GenerateContentResponse
{
    public IReadOnlyList<GeminiCandidate>? Candidates { get; init; }

    public GeminiPromptFeedback? PromptFeedback { get; init; }

    public GeminiUsageMetadata? UsageMetadata { get; init; }

    public string? ModelVersion { get; init; }
}

internal sealed record GeminiCandidate
{
    public GeminiContent? Content { get; init; }

    public string? FinishReason { get; init; }

    public IReadOnlyList<GeminiSafetyRating>? SafetyRatings { get; init; }
}

internal sealed record GeminiPromptFeedback
{
    public string? BlockReason { get; init; }

    public IReadOnlyList<GeminiSafetyRating>? SafetyRatings { get; init; }
}

internal sealed record GeminiSafetyRating
{
    public string? Category { get; init; }

    public string? Probability { get; init; }

    public bool Blocked { get; init; }
}

internal sealed record GeminiUsageMetadata
{
    public int PromptTokenCount { get; init; }

    public int CandidatesTokenCount { get; init; }

    public int ThoughtsTokenCount { get; init; }

    public int TotalTokenCount { get; init; }
}

/// <summary>Token counts of one or more calls, in the shape the task outputs carry.</summary>
internal sealed record TokenUsage(int PromptTokens, int OutputTokens, int TotalTokens)
{
    public static TokenUsage Zero { get; } = new(0, 0, 0);

    public static TokenUsage From(GeminiUsageMetadata? usage) =>
        usage is null ? Zero : new(usage.PromptTokenCount, usage.CandidatesTokenCount + usage.ThoughtsTokenCount, usage.TotalTokenCount);

    public TokenUsage Add(TokenUsage other) =>
        new(PromptTokens + other.PromptTokens, OutputTokens + other.OutputTokens, TotalTokens + other.TotalTokens);

    public JsonObject ToJson() => new()
    {
        ["promptTokens"] = PromptTokens,
        ["outputTokens"] = OutputTokens,
        ["totalTokens"] = TotalTokens,
    };
}

/// <summary>What one generateContent call produced: the answer's text and its bookkeeping.</summary>
internal sealed record GeneratedText(string Text, string? FinishReason, string Model, TokenUsage Usage);

