using MediaWorker.Plugins.Gemini.Api;

namespace MediaWorker.Plugins.Gemini.Structured;

/// <summary>Structured answers from generateContent with responseMimeType application/json and a responseSchema.</summary>
internal sealed class GeminiStructuredModel(GeminiClient client) : IStructuredModel
{
    public string Provider => "gemini";

    public Task<GeneratedText> GenerateAsync(StructuredPrompt prompt, CancellationToken cancellationToken)
    {
        var request = new GenerateContentRequest
        {
            SystemInstruction = new GeminiContent(null, [GeminiPart.FromText(prompt.SystemInstruction)]),
            Contents = prompt.Turns.Select(t => new GeminiContent(t.Role, t.Parts)).ToArray(),
            GenerationConfig = new GeminiGenerationConfig
            {
                ResponseMimeType = "application/json",
                ResponseSchema = prompt.Schema,
                Temperature = prompt.Temperature,
            },
        };
        return client.GenerateContentAsync(prompt.Model, request, cancellationToken);
    }
}
