using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Configuration;
using MediaWorker.Plugins.Gemini.OpenAi;
using MediaWorker.Plugins.Gemini.Structured;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Gemini.Api;

/// <summary>
/// Owns the plugin's one <see cref="HttpClient"/> (connections are pooled across jobs) and hands
/// each job clients that log through the job's logger.
/// </summary>
internal sealed class AiClientFactory : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly int _uploadChunkSize;

    public AiClientFactory(GeminiSettings settings, TimeProvider? time = null, int uploadChunkSize = GeminiFileUploader.DefaultChunkSize)
    {
        Settings = settings;
        _time = time ?? TimeProvider.System;
        _uploadChunkSize = uploadChunkSize;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            // One request may carry an 8 MiB upload chunk or wait for a long generation on a large
            // video; HttpClient's 100 s default is too short for both.
            Timeout = settings.Timeout,
        };
        Redactor = new SecretRedactor(settings.Secrets);
    }

    public GeminiSettings Settings { get; }

    public SecretRedactor Redactor { get; }

    /// <summary>True when a Gemini API key is configured.</summary>
    public bool IsGeminiConfigured => Settings.ApiKey is not null;

    /// <summary>A Gemini client for one job.</summary>
    /// <exception cref="PermanentJobException">No API key is configured.</exception>
    public GeminiClient CreateGemini(ILogger logger)
    {
        if (!IsGeminiConfigured)
        {
            throw new PermanentJobException("GEMINI_API_KEY is not set: set it in the environment or worker.env and restart the worker.");
        }

        var endpoint = new RestEndpoint("Gemini", Settings.BaseUrl, "x-goog-api-key", Settings.ApiKey, "GEMINI_API_KEY, the model names (GEMINI_MODEL, GEMINI_DEEP_MODEL, GEMINI_EMBED_MODEL) and GEMINI_BASE_URL");
        var transport = new RestTransport(_http, endpoint, Settings, Redactor, logger, _time);
        return new GeminiClient(transport, new GeminiFileUploader(transport, logger, _uploadChunkSize), logger, _time, Settings.FilePollInterval, Settings.FileProcessingTimeout);
    }

    /// <summary>
    /// The model for text-only structured work (transcripts, text): the OpenAI-compatible server
    /// when AI_PROVIDER=openai-compatible, Gemini otherwise. Returns the model name to ask as well.
    /// </summary>
    public (IStructuredModel Model, string ModelName) CreateTextModel(ILogger logger)
    {
        if (Settings.Provider != AiProvider.OpenAiCompatible)
        {
            return (new GeminiStructuredModel(CreateGemini(logger)), Settings.Model);
        }

        var endpoint = new RestEndpoint("OpenAI-compatible server", Settings.OpenAiBaseUrl!, "Authorization", Settings.OpenAiApiKey is { } key ? "Bearer " + key : null, "OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL");
        return (new OpenAiChatModel(new RestTransport(_http, endpoint, Settings, Redactor, logger, _time)), Settings.OpenAiModel!);
    }

    public void Dispose() => _http.Dispose();
}
