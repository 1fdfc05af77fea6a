using System.Text.Json.Nodes;
using MediaWorker.Plugins.Gemini.Api;

namespace MediaWorker.Plugins.Gemini.Structured;

/// <summary>One message of a conversation: <c>user</c> or <c>model</c>, with text and file parts.</summary>
internal sealed record PromptTurn(string Role, IReadOnlyList<GeminiPart> Parts)
{
    public static PromptTurn User(params GeminiPart[] parts) => new("user", parts);
}

/// <summary>A request for a JSON answer that follows <see cref="Schema"/>.</summary>
/// <param name="Model">The model to ask.</param>
/// <param name="SystemInstruction">The task's standing instructions.</param>
/// <param name="Turns">The conversation so far, ending with a user turn.</param>
/// <param name="Schema">The answer's schema in the Gemini dialect (OpenAPI subset, upper-case types).</param>
internal sealed record StructuredPrompt(string Model, string SystemInstruction, IReadOnlyList<PromptTurn> Turns, JsonObject Schema)
{
    /// <summary>Low: the tasks want faithful structured summaries, not creative variety.</summary>
    public double Temperature { get; init; } = 0.2;

    /// <summary>The prompt for the second try: the invalid answer and what was wrong with it are added.</summary>
    public StructuredPrompt WithCorrection(string invalidAnswer, IReadOnlyList<string> problems) => this with
    {
        Turns =
        [
            .. Turns,
            new PromptTurn("model", [GeminiPart.FromText(invalidAnswer)]),
            PromptTurn.User(GeminiPart.FromText(
                "That answer is not valid: " + string.Join("; ", problems.Take(10))
                + ". Answer again with one JSON object that follows the response schema exactly.")),
        ],
    };
}
