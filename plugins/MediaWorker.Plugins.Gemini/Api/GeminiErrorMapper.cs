using System.Globalization;
using System.Net;
using System.Text.Json;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Gemini.Api;

/// <summary>
/// The one place that turns a failed Gemini HTTP exchange into a job outcome, following the API's
/// guidance: 400 (INVALID_ARGUMENT, FAILED_PRECONDITION), 401, 403, 404 and every other 4xx are
/// permanent; 429 is retryable no earlier than the server's RetryInfo delay; 408 and 5xx are retryable.
/// </summary>
internal static class GeminiErrorMapper
{
    /// <summary>Statuses worth a quick retry inside the same call, before the job queue's backoff.</summary>
    public static bool IsTransientServerError(HttpStatusCode status) =>
        status is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>Builds the job exception for an error response.</summary>
    /// <param name="endpoint">The service (its name and the settings to check appear in messages).</param>
    /// <param name="operation">What was attempted, e.g. <c>generateContent (gemini-2.5-flash)</c>.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The response body (a google.rpc.Status wrapped in <c>error</c>, or anything a proxy sent).</param>
    /// <param name="retryAfterHeader">The Retry-After header's delay, if any.</param>
    /// <param name="redactor">Removes secrets from the server's text.</param>
    public static Exception ToJobException(RestEndpoint endpoint, string operation, HttpStatusCode status, string body, TimeSpan? retryAfterHeader, SecretRedactor redactor)
    {
        var error = ParseError(body);
        var code = (int)status;
        var statusName = error.Status ?? status.ToString();
        var message = redactor.Redact(error.Message ?? Shorten(body));
        var text = $"{endpoint.Service} {operation} failed with HTTP {code} {statusName}: {message}";

        if (status == HttpStatusCode.TooManyRequests)
        {
            var delay = error.RetryDelay ?? retryAfterHeader;
            var when = delay is { } d ? $" The server asked to wait {d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s." : string.Empty;
            return new RetryableJobException($"{text} (quota or rate limit; the job is retried later).{when}") { RetryAfter = delay };
        }

        if (code >= 500 || status == HttpStatusCode.RequestTimeout)
        {
            return new RetryableJobException($"{text} (a server-side fault; the job is retried later).") { RetryAfter = retryAfterHeader };
        }

        var hint = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
            ? $" Check {endpoint.SettingsHint}."
            : string.Empty;
        return new PermanentJobException(text + hint);
    }

    /// <summary>The parts of a google.rpc.Status error body this plugin uses.</summary>
    internal sealed record ErrorBody(string? Status, string? Message, TimeSpan? RetryDelay);

    internal static ErrorBody ParseError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return new ErrorBody(null, null, null);
            }

            var status = error.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return new ErrorBody(status, message, FindRetryDelay(error));
        }
        catch (JsonException)
        {
            return new ErrorBody(null, null, null);
        }
    }

    /// <summary>Parses a protobuf Duration in JSON form ("37s", "1.5s").</summary>
    internal static TimeSpan? ParseDuration(string? text)
    {
        if (text is null || !text.EndsWith('s'))
        {
            return null;
        }

        return double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    private static TimeSpan? FindRetryDelay(JsonElement error)
    {
        if (!error.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var detail in details.EnumerateArray())
        {
            if (detail.ValueKind == JsonValueKind.Object
                && detail.TryGetProperty("@type", out var type)
                && type.GetString()?.EndsWith("google.rpc.RetryInfo", StringComparison.Ordinal) == true
                && detail.TryGetProperty("retryDelay", out var delay))
            {
                return ParseDuration(delay.GetString());
            }
        }

        return null;
    }

    private static string Shorten(string body)
    {
        var flat = body.ReplaceLineEndings(" ").Trim();
        return flat.Length == 0 ? "(empty response body)" : flat.Length <= 300 ? flat : flat[..300] + "...";
    }
}
