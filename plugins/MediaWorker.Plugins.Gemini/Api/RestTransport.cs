using System.Net.Http.Headers;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Configuration;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Gemini.Api;

/// <summary>Where a REST service is and how to authenticate to it.</summary>
/// <param name="Service">The name used in messages, e.g. <c>Gemini</c>.</param>
/// <param name="BaseUrl">The service's base URL (ends with '/').</param>
/// <param name="AuthHeader">The header carrying the key, e.g. <c>x-goog-api-key</c>.</param>
/// <param name="AuthValue">Its value, or <see langword="null"/> to send none.</param>
/// <param name="SettingsHint">The settings to check when the service refuses the key or the model.</param>
internal sealed record RestEndpoint(string Service, Uri BaseUrl, string AuthHeader, string? AuthValue, string SettingsHint);

/// <summary>
/// Sends requests to a REST service (Gemini, or an OpenAI-compatible server): adds the key header,
/// retries transient faults a bounded number of times inside the call, and maps every other
/// failure through <see cref="GeminiErrorMapper"/>.
/// </summary>
/// <remarks>
/// In-call retries are for blips that pass within seconds: 500/502/503/504 and dropped connections
/// or timeouts, up to <see cref="GeminiSettings.MaxInCallRetries"/> times with doubling delays
/// (0.5-1 s, 1-2 s by default; the daemon's one <see cref="ExponentialBackoff"/>). A 429 is never retried here: the server says how long to wait, often
/// tens of seconds, and the job queue can wait that long without holding a job slot.
/// </remarks>
internal sealed class RestTransport
{
    private readonly HttpClient _http;
    private readonly RestEndpoint _endpoint;
    private readonly GeminiSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ExponentialBackoff _backoff;

    public RestTransport(HttpClient http, RestEndpoint endpoint, GeminiSettings settings, SecretRedactor redactor, ILogger logger, TimeProvider time)
    {
        _http = http;
        _endpoint = endpoint;
        _settings = settings;
        Redactor = redactor;
        _logger = logger;
        _time = time;
        // No cap below the last retry's own ceiling: the number of retries bounds the wait.
        _backoff = new ExponentialBackoff(settings.RetryBaseDelay, settings.RetryBaseDelay * Math.Pow(2, settings.MaxInCallRetries));
    }

    public SecretRedactor Redactor { get; }

    public int MaxInCallRetries => _settings.MaxInCallRetries;

    /// <summary>Sends a request (built afresh for each try) and returns the successful response.</summary>
    /// <exception cref="PermanentJobException">The server refused the request for good.</exception>
    /// <exception cref="RetryableJobException">A passing fault that outlasted the in-call retries, or a 429.</exception>
    public async Task<HttpResponseMessage> SendAsync(string operation, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (response, failure, transient) = await TrySendAsync(operation, build, cancellationToken);
            if (response is not null)
            {
                return response;
            }

            if (!transient || attempt >= _settings.MaxInCallRetries)
            {
                throw failure!;
            }

            var delay = _backoff.Delay(attempt + 1);
            _logger.LogWarning("{Service}: {Operation} failed ({Reason}); retry {Retry} of {MaxRetries} in {Delay:0.0} s.", _endpoint.Service, operation, failure!.Message, attempt + 1, _settings.MaxInCallRetries, delay.TotalSeconds);
            await Task.Delay(delay, _time, cancellationToken);
        }
    }

    /// <summary>
    /// Sends once without retrying or mapping: the caller gets the raw response (any status) or
    /// the raw transport exception. Used where a dropped connection has its own recovery (uploads).
    /// </summary>
    public async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: false } relative)
        {
            request.RequestUri = new Uri(_endpoint.BaseUrl, relative);
        }

        Authorize(request);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>Reads an error response and maps it to a job exception.</summary>
    public async Task<Exception> ToJobExceptionAsync(string operation, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return GeminiErrorMapper.ToJobException(_endpoint, operation, response.StatusCode, body, RetryAfter(response.Headers), Redactor);
    }

    /// <summary>A transport fault (no HTTP answer) as a retryable job exception.</summary>
    public RetryableJobException Unreachable(string operation, Exception fault, CancellationToken cancellationToken) => fault switch
    {
        TaskCanceledException when !cancellationToken.IsCancellationRequested =>
            new RetryableJobException($"{_endpoint.Service} {operation} got no answer within GEMINI_TIMEOUT ({_settings.Timeout.TotalSeconds:0} s).", fault),
        _ => new RetryableJobException($"{_endpoint.Service} {operation} could not reach {_endpoint.BaseUrl.Authority}: {Redactor.Redact(fault.Message)}", fault),
    };

    /// <summary>True for exceptions that mean the exchange broke off rather than the job being cancelled.</summary>
    public static bool IsTransportFault(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException or IOException
        || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private async Task<(HttpResponseMessage? Response, Exception? Failure, bool Transient)> TrySendAsync(string operation, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        using var request = build();
        HttpResponseMessage response;
        try
        {
            response = await SendOnceAsync(request, cancellationToken);
        }
        catch (Exception ex) when (IsTransportFault(ex, cancellationToken))
        {
            return (null, Unreachable(operation, ex, cancellationToken), true);
        }

        if (response.IsSuccessStatusCode)
        {
            return (response, null, false);
        }

        using (response)
        {
            var failure = await ToJobExceptionAsync(operation, response, cancellationToken);
            return (null, failure, GeminiErrorMapper.IsTransientServerError(response.StatusCode));
        }
    }

    private void Authorize(HttpRequestMessage request)
    {
        // The key only ever goes to the configured host, in a header: never in a URL, whatever
        // address a server hands back (for example an upload session URL).
        if (_endpoint.AuthValue is { } key && request.RequestUri is { } uri
            && string.Equals(uri.Authority, _endpoint.BaseUrl.Authority, StringComparison.OrdinalIgnoreCase))
        {
            request.Headers.Remove(_endpoint.AuthHeader);
            request.Headers.TryAddWithoutValidation(_endpoint.AuthHeader, key);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseHeaders headers) =>
        headers.RetryAfter?.Delta ?? (headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
}
