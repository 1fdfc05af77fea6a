using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Api;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Gemini.Structured;

/// <summary>A validated JSON answer, with the model that gave it and the tokens all tries used.</summary>
internal sealed record StructuredAnswer(JsonObject Value, string Model, TokenUsage Usage, int Tries);

/// <summary>
/// Asks a model for JSON and validates it: parse, schema, then the task's own rules (for example
/// timestamps inside the media). An invalid answer is retried once with the problems pointed out;
/// a second invalid answer is a permanent failure that quotes what was wrong.
/// </summary>
internal sealed class StructuredGenerator(IStructuredModel model, ILogger logger)
{
    private const int MaxTries = 2;

    public string Provider => model.Provider;

    /// <param name="prompt">The request.</param>
    /// <param name="check">The task's own checks on a schema-valid answer; returns the problems found.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    public async Task<StructuredAnswer> GenerateAsync(StructuredPrompt prompt, Func<JsonObject, IReadOnlyList<string>>? check, CancellationToken cancellationToken)
    {
        var usage = TokenUsage.Zero;
        for (var tries = 1; ; tries++)
        {
            var reply = await model.GenerateAsync(prompt, cancellationToken);
            usage = usage.Add(reply.Usage);
            var (value, problems) = Inspect(reply, prompt.Schema, check);
            if (value is not null)
            {
                return new StructuredAnswer(value, reply.Model, usage, tries);
            }

            if (tries >= MaxTries)
            {
                throw new PermanentJobException(
                    $"The model {reply.Model} returned an invalid answer {tries} times; last time: {string.Join("; ", problems.Take(5))}. "
                    + $"The answer began: \"{Excerpt(reply.Text)}\".");
            }

            logger.LogWarning("The model {Model} returned an invalid answer ({Problems}); asking once more.", reply.Model, string.Join("; ", problems.Take(5)));
            prompt = prompt.WithCorrection(reply.Text, problems);
        }
    }

    private static (JsonObject? Value, IReadOnlyList<string> Problems) Inspect(GeneratedText reply, JsonObject schema, Func<JsonObject, IReadOnlyList<string>>? check)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(StripFence(reply.Text));
        }
        catch (JsonException ex)
        {
            var cut = reply.FinishReason == "MAX_TOKENS" ? " (the answer was cut at the output token limit)" : string.Empty;
            return (null, [$"the answer is not valid JSON: {ex.Message}{cut}"]);
        }

        var problems = ResponseSchemaValidator.Validate(node, schema);
        if (problems.Count == 0 && node is JsonObject obj && check is not null)
        {
            problems = check(obj);
        }

        return problems.Count == 0 ? ((JsonObject)node!, problems) : (null, problems);
    }

    /// <summary>Some OpenAI-compatible servers wrap JSON in a Markdown code fence despite the response format.</summary>
    private static string StripFence(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var firstLineEnd = trimmed.IndexOf('\n', StringComparison.Ordinal);
        var lastFence = trimmed.LastIndexOf("```", StringComparison.Ordinal);
        return firstLineEnd > 0 && lastFence > firstLineEnd ? trimmed[(firstLineEnd + 1)..lastFence] : trimmed;
    }

    private static string Excerpt(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 200 ? flat : flat[..200] + "...";
    }
}
