using System.Globalization;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Gemini.Configuration;

/// <summary>Which service answers <c>ai_analyze</c> on transcripts and text.</summary>
internal enum AiProvider
{
    Gemini,
    OpenAiCompatible,
}

/// <summary>
/// The plugin's settings, read once at load. Invalid values throw <see cref="ArgumentException"/>
/// naming the variable and what is allowed, which makes the host report the plugin as failed to load.
/// </summary>
internal sealed record GeminiSettings
{
    public const string DefaultBaseUrl = "https://generativelanguage.googleapis.com";
    public const string DefaultModel = "gemini-2.5-flash";
    public const string DefaultDeepModel = "gemini-2.5-pro";
    public const string DefaultEmbedModel = "gemini-embedding-001";

    /// <summary>The API key, or <see langword="null"/> when unset (then only the rules scoring works).</summary>
    public string? ApiKey { get; init; }

    public Uri BaseUrl { get; init; } = new(DefaultBaseUrl);

    public string Model { get; init; } = DefaultModel;

    public string DeepModel { get; init; } = DefaultDeepModel;

    public string EmbedModel { get; init; } = DefaultEmbedModel;

    /// <summary>The timeout of one HTTP request (one upload chunk, one generation).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>How often a 500/503/504 or a dropped connection is retried inside one call.</summary>
    public int MaxInCallRetries { get; init; } = 2;

    /// <summary>The ceiling of the first in-call retry's delay (the wait is drawn from its upper half); each next one doubles it.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The pause between two status polls of an uploaded file.</summary>
    public TimeSpan FilePollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an uploaded file may stay PROCESSING before the attempt is given up (retryable).</summary>
    public TimeSpan FileProcessingTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public AiProvider Provider { get; init; } = AiProvider.Gemini;

    public Uri? OpenAiBaseUrl { get; init; }

    public string? OpenAiApiKey { get; init; }

    public string? OpenAiModel { get; init; }

    /// <summary>Every secret value, for redaction from messages built out of server text.</summary>
    public IReadOnlyList<string> Secrets => new[] { ApiKey, OpenAiApiKey }.OfType<string>().ToArray();

    public static GeminiSettings Read(IPluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var provider = settings.GetValue("AI_PROVIDER")?.Trim().ToLowerInvariant() switch
        {
            null or "gemini" => AiProvider.Gemini,
            "openai-compatible" => AiProvider.OpenAiCompatible,
            var other => throw new ArgumentException($"AI_PROVIDER is '{other}'; allowed values are 'gemini' and 'openai-compatible'."),
        };
        var openAiBase = ReadUrl(settings, "OPENAI_BASE_URL", null);
        var openAiModel = settings.GetValue("OPENAI_MODEL");
        if (provider == AiProvider.OpenAiCompatible && (openAiBase is null || openAiModel is null))
        {
            throw new ArgumentException("AI_PROVIDER=openai-compatible needs OPENAI_BASE_URL (for example http://localhost:8080/v1) and OPENAI_MODEL.");
        }

        return new GeminiSettings
        {
            ApiKey = settings.GetValue("GEMINI_API_KEY"),
            BaseUrl = ReadUrl(settings, "GEMINI_BASE_URL", DefaultBaseUrl)!,
            Model = settings.GetValue("GEMINI_MODEL") ?? DefaultModel,
            DeepModel = settings.GetValue("GEMINI_DEEP_MODEL") ?? DefaultDeepModel,
            EmbedModel = settings.GetValue("GEMINI_EMBED_MODEL") ?? DefaultEmbedModel,
            Timeout = TimeSpan.FromSeconds(ReadNumber(settings, "GEMINI_TIMEOUT", 600, minimum: 1)),
            MaxInCallRetries = (int)ReadNumber(settings, "GEMINI_MAX_RETRIES", 2, minimum: 0, maximum: 10, integer: true),
            RetryBaseDelay = TimeSpan.FromSeconds(ReadNumber(settings, "GEMINI_RETRY_DELAY", 1, minimum: 0)),
            FilePollInterval = TimeSpan.FromSeconds(ReadNumber(settings, "GEMINI_FILE_POLL_INTERVAL", 2, minimum: 0.01)),
            FileProcessingTimeout = TimeSpan.FromSeconds(ReadNumber(settings, "GEMINI_FILE_PROCESSING_TIMEOUT", 600, minimum: 1)),
            Provider = provider,
            OpenAiBaseUrl = openAiBase,
            OpenAiApiKey = settings.GetValue("OPENAI_API_KEY"),
            OpenAiModel = openAiModel,
        };
    }

    private static Uri? ReadUrl(IPluginSettings settings, string name, string? fallback)
    {
        var text = settings.GetValue(name) ?? fallback;
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"{name} is '{text}'; it must be an absolute http:// or https:// URL.");
        }

        // A key in the query string would end up in every logged or reported URL: keys go in headers only.
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new ArgumentException($"{name} must not carry a query string or fragment; put the API key in GEMINI_API_KEY / OPENAI_API_KEY instead.");
        }

        return uri;
    }

    private static double ReadNumber(IPluginSettings settings, string name, double fallback, double minimum, double maximum = 86_400, bool integer = false)
    {
        var text = settings.GetValue(name);
        if (text is null)
        {
            return fallback;
        }

        var what = integer ? "a whole number" : "a number of seconds";
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || value < minimum || value > maximum || (integer && value != Math.Floor(value)))
        {
            throw new ArgumentException($"{name} is '{text}'; it must be {what} from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}.");
        }

        return value;
    }
}
