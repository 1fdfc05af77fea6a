using MediaWorker.Configuration;

namespace MediaWorker.Http.Hosting;

/// <summary>
/// Where the operations surface listens (<c>HTTP_LISTEN</c>) and the bearer token it asks for
/// (<c>API_TOKEN</c>). Binding beyond loopback without a token is refused at start-up.
/// </summary>
public sealed record HttpSettings
{
    /// <summary>The default: this machine only.</summary>
    public static readonly ListenAddress DefaultListen = new("127.0.0.1", 8780);

    /// <summary>The shortest token accepted: a guessable token is no protection on a LAN.</summary>
    public const int MinimumTokenLength = 16;

    public ListenAddress Listen { get; init; } = DefaultListen;

    /// <summary>True when <c>HTTP_LISTEN</c> was given: <c>mediaworker run</c> then serves the surface too.</summary>
    public bool ListenExplicit { get; init; }

    /// <summary>The bearer token every endpoint but /healthz and the static page needs; null for none (loopback only).</summary>
    public string? ApiToken { get; init; }

    /// <summary>Largest request body accepted, in bytes (<c>HTTP_MAX_BODY_BYTES</c>).</summary>
    public int MaxBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Records print every property; this one must never print the token.</summary>
    public override string ToString() => $"http://{Listen}{(ApiToken is null ? string.Empty : " token ***")}";

    /// <summary>Reads the settings under <paramref name="listenVariable"/> (a second service can use its own, e.g. COMPUTE_API_LISTEN).</summary>
    public static HttpSettings Read(SettingsReader reader, string listenVariable = "HTTP_LISTEN", string tokenVariable = "API_TOKEN")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var raw = reader.Optional(listenVariable);
        var listen = DefaultListen;
        if (raw is not null)
        {
            listen = ListenAddress.TryParse(raw, out var error) ?? DefaultListen;
            if (error is not null)
            {
                reader.AddError($"{listenVariable}: '{raw}' is not allowed: {error} (default {DefaultListen}).");
            }
        }

        var token = reader.Optional(tokenVariable);
        if (token is not null && token.Length < MinimumTokenLength)
        {
            reader.AddError($"{tokenVariable}: the token is {token.Length} characters long; use at least {MinimumTokenLength} (for example: openssl rand -hex 24).");
        }

        if (token is null && !listen.IsLoopback)
        {
            reader.AddError($"{listenVariable}: '{listen}' accepts connections from other machines; set {tokenVariable} (at least {MinimumTokenLength} characters) or listen on 127.0.0.1.");
        }

        var maxBody = reader.WholeNumber("HTTP_MAX_BODY_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024);
        return new HttpSettings { Listen = listen, ListenExplicit = raw is not null, ApiToken = token, MaxBodyBytes = maxBody };
    }
}
