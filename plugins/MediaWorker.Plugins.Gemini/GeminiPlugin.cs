using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Analysis;
using MediaWorker.Plugins.Gemini.Api;
using MediaWorker.Plugins.Gemini.Configuration;
using MediaWorker.Plugins.Gemini.Embeddings;
using MediaWorker.Plugins.Gemini.Media;

namespace MediaWorker.Plugins.Gemini;

/// <summary>
/// The Gemini plugin: <c>ai_analyze</c>, <c>highlight_detect</c> and <c>embed</c> on the Gemini
/// REST API (v1beta), with an OpenAI-compatible server as an option for text analysis.
/// </summary>
/// <remarks>
/// Settings are read once here; an invalid value (for example <c>GEMINI_TIMEOUT=abc</c>) makes
/// the plugin fail to load with a message naming the variable. A missing <c>GEMINI_API_KEY</c> is
/// not a load error: jobs that need Gemini fail with a message saying so, and highlight detection
/// falls back to rules scoring.
/// </remarks>
public sealed class GeminiPlugin : IMediaWorkerPlugin
{
    /// <inheritdoc />
    public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return CreateHandlers(GeminiSettings.Read(context.Settings));
    }

    /// <summary>Builds the handlers from parsed settings (tests pass a small upload chunk size).</summary>
    internal static IReadOnlyList<ITaskHandler> CreateHandlers(GeminiSettings settings, int uploadChunkSize = GeminiFileUploader.DefaultChunkSize)
    {
        var clients = new AiClientFactory(settings, uploadChunkSize: uploadChunkSize);
        var media = new MediaPreparer();
        return
        [
            new AiAnalyzeHandler(clients, media),
            new EmbedHandler(clients),
        ];
    }
}
