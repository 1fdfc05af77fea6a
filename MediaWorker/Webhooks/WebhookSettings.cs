using MediaWorker.Configuration;

namespace MediaWorker.Webhooks;

/// <summary>
/// The WEBHOOK_* settings (docs/webhooks.md): which URLs may be called, the optional subscription
/// defined in settings, and how deliveries are sent and retried.
/// </summary>
public sealed record WebhookSettings
{
    /// <summary>Only URLs that start with one of these are called (or accepted by <c>webhooks add</c>).</summary>
    public UrlAllowList AllowedUrls { get; init; } = new([]);

    /// <summary>WEBHOOK_URL/WEBHOOK_SECRET/...: a subscription kept as the endpoint <c>settings</c> while the daemon runs.</summary>
    public Subscriptions.WebhookSubscription? Subscription { get; init; }

    /// <summary>Signs deliveries to a job's own <c>webhook_url</c>.</summary>
    public string? JobSecret { get; init; }

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RetryMax { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Requests in flight to one endpoint from one worker.</summary>
    public int EndpointConcurrency { get; init; } = 4;

    internal static WebhookSettings Read(SettingsReader reader)
    {
        var prefixes = (reader.Optional("WEBHOOK_ALLOWED_URL_PREFIXES") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var allowed = new UrlAllowList(prefixes);
        foreach (var prefix in prefixes)
        {
            if (!Uri.TryCreate(prefix, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                reader.AddError($"WEBHOOK_ALLOWED_URL_PREFIXES: '{prefix}' is not an http:// or https:// URL prefix such as http://192.168.1.20:8123/api/webhook/.");
            }
        }

        Subscriptions.WebhookSubscription? subscription = null;
        if (reader.Optional("WEBHOOK_URL") is { Length: > 0 } url)
        {
            var secret = reader.Optional("WEBHOOK_SECRET");
            if (string.IsNullOrEmpty(secret))
            {
                reader.AddError("WEBHOOK_SECRET: WEBHOOK_URL is set, so a signing secret is needed (e.g. whsec_ and base64 of 32 random bytes: `echo whsec_$(openssl rand -base64 32)`).");
            }

            try
            {
                subscription = Subscriptions.WebhookSubscription.Create(url, secret ?? "-", reader.Optional("WEBHOOK_EVENTS"), reader.Optional("WEBHOOK_TASKS"), allowed);
            }
            catch (ArgumentException ex)
            {
                reader.AddError($"WEBHOOK_URL: {ex.Message}");
            }
        }

        return new WebhookSettings
        {
            AllowedUrls = allowed,
            Subscription = subscription,
            JobSecret = reader.Optional("WEBHOOK_JOB_SECRET") is { Length: > 0 } jobSecret ? jobSecret : null,
            RequestTimeout = reader.Seconds("WEBHOOK_TIMEOUT", TimeSpan.FromSeconds(10), 0.1, 300),
            RetryBase = reader.Seconds("WEBHOOK_RETRY_BASE", TimeSpan.FromSeconds(15), 0, 3600),
            RetryMax = reader.Seconds("WEBHOOK_RETRY_MAX", TimeSpan.FromHours(1), 0, 86400),
            EndpointConcurrency = reader.WholeNumber("WEBHOOK_ENDPOINT_CONCURRENCY", 4, 1, 256),
        };
    }

    /// <summary>The WEBHOOK_* settings alone (the CLI's <c>webhooks</c> commands and <c>submit</c>).</summary>
    public static WebhookSettings Load(SettingsSource source)
    {
        var reader = new SettingsReader(source);
        var settings = Read(reader);
        reader.ThrowIfInvalid();
        return settings;
    }
}
