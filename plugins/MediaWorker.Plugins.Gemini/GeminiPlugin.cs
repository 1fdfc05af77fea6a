using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Audio;
using MediaWorker.Ffmpeg.Scenes;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Analysis;
using MediaWorker.Plugins.Gemini.Api;
using MediaWorker.Plugins.Gemini.Configuration;
using MediaWorker.Plugins.Gemini.Embeddings;
using MediaWorker.Plugins.Gemini.Highlights;
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
        return CreateHandlers(GeminiSettings.Read(context.Settings), FfmpegToolPaths.FromSettings(context.Settings.GetValue));
    }

    /// <summary>Builds the handlers from parsed settings (tests pass a small upload chunk size).</summary>
    internal static IReadOnlyList<ITaskHandler> CreateHandlers(GeminiSettings settings, FfmpegToolPaths tools, int uploadChunkSize = GeminiFileUploader.DefaultChunkSize)
    {
        var clients = new AiClientFactory(settings, uploadChunkSize: uploadChunkSize);
        var ffmpeg = new FfmpegRunner(tools);
        var ffprobe = new FfprobeRunner(tools);
        var media = new MediaPreparer(ffmpeg, ffprobe, new LocalInputGuard(tools));
        return
        [
            new AiAnalyzeHandler(clients, media),
            new HighlightDetectHandler(clients, media, new SceneDetector(ffmpeg, ffprobe), new LoudnessAnalyzer(ffmpeg, ffprobe)),
            new EmbedHandler(clients),
        ];
    }
}
