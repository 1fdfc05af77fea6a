using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using MediaWorker.Webhooks.Signing;

namespace MediaWorker.Webhooks.Delivery;

/// <summary>What one POST got back: a status code and the start of the body, or nothing (network error, timeout).</summary>
public sealed record SendResult(int? StatusCode, string Excerpt, TimeSpan? RetryAfter, string? Error);

/// <summary>
/// POSTs one signed delivery. Redirects are not followed (a 3xx is an answer, not a new target),
/// only <see cref="DeliveryResult.ExcerptBytes"/> of a response body are read, and each request has
/// its own timeout (WEBHOOK_TIMEOUT). One instance (one connection pool) per daemon.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _client;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public WebhookSender(TimeSpan timeout, TimeProvider time)
    {
        _timeout = timeout;
        _time = time;
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = timeout,
        })
        {
            // The per-request timeout below is the one that counts.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("MediaWorker-Webhooks", Plugins.BuiltIn.BuiltInPlugin.Version));
    }

    /// <param name="url">The target, already checked against the allow-list.</param>
    /// <param name="id">The webhook-id: the delivery's, the same on every attempt so receivers can de-duplicate.</param>
    /// <param name="body">The stored JSON body.</param>
    /// <param name="secrets">Current secret first, then the previous one during a rotation.</param>
    /// <param name="cancellationToken">The job's token (cancel, shutdown).</param>
    public async Task<SendResult> SendAsync(Uri url, string id, string body, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSigner.Sign(id, timestamp, bytes, secrets));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ReadExcerptAsync(response, timeout.Token);
            return new SendResult((int)response.StatusCode, excerpt, RetryAfter(response), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(null, string.Empty, null, $"no answer within WEBHOOK_TIMEOUT ({_timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s)");
        }
        catch (HttpRequestException ex)
        {
            return new SendResult(null, string.Empty, null, ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message);
        }
    }

    public void Dispose() => _client.Dispose();

    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[DeliveryResult.ExcerptBytes];
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        // Decoding a cut multi-byte character yields U+FFFD at the end, which is harmless in a log excerpt.
        return Encoding.UTF8.GetString(buffer, 0, filled).ReplaceLineEndings(" ").Trim();
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
