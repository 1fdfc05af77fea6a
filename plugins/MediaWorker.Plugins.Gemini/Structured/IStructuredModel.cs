using MediaWorker.Plugins.Gemini.Api;

namespace MediaWorker.Plugins.Gemini.Structured;

/// <summary>A model service that answers a <see cref="StructuredPrompt"/> with JSON text.</summary>
internal interface IStructuredModel
{
    /// <summary>The provider's name in task outputs: <c>gemini</c> or <c>openai-compatible</c>.</summary>
    string Provider { get; }

    /// <summary>Asks once; the answer is not validated here.</summary>
    Task<GeneratedText> GenerateAsync(StructuredPrompt prompt, CancellationToken cancellationToken);
}
