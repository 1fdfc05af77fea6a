using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MediaWorker.Testing;

namespace MediaWorker.Tests.Webhooks.Support;

/// <summary>One request the receiver got.</summary>
public sealed record ReceivedWebhook(string Path, string Id, string Timestamp, string Signature, string Body, DateTimeOffset At)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public string Event => Json["data"]?["event"]?.GetValue<string>() ?? Json["type"]!.GetValue<string>();

    public string? JobId => Json["data"]?["job_id"]?.GetValue<string>();
}

/// <summary>What the receiver answers: a status code, headers, a body; or no answer until <see cref="Hold"/> completes.</summary>
public sealed record ReceiverAnswer(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null)
{
    public Task? Hold { get; init; }

    public static ReceiverAnswer Ok { get; } = new(200, "ok");
}

/// <summary>
/// A real HTTP server on a free loopback port (HttpListener) that records every webhook and answers
/// as the test says; it can be stopped (connections refused) and started again on the same port.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private HttpListener? _listener;
    private Task? _loop;

    public WebhookReceiver()
    {
        Port = FreePort.Next();
        Start();
    }

    public int Port { get; }

    /// <summary>The URL prefix to allow: http://127.0.0.1:port/.</summary>
    public string BaseUrl => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/");

    /// <summary>Decides the answer to each request (default: 200).</summary>
    public Func<ReceivedWebhook, ReceiverAnswer> Answer { get; set; } = _ => ReceiverAnswer.Ok;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public void Start()
    {
        _listener = new HttpListener();
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        var listener = _listener;
        _loop = Task.Run(() => LoopAsync(listener));
    }

    /// <summary>Closes the port: connections are refused until <see cref="Start"/>.</summary>
    public void Stop()
    {
        _listener?.Close();
        _listener = null;
        _loop?.Wait(TimeSpan.FromSeconds(5));
    }

    /// <summary>Waits until at least <paramref name="count"/> requests matching <paramref name="where"/> have arrived.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan timeout, Func<ReceivedWebhook, bool>? where = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var matching = Received.Where(where ?? (_ => true)).ToList();
            if (matching.Count >= count || DateTime.UtcNow >= deadline)
            {
                return matching;
            }

            await _arrived.WaitAsync(TimeSpan.FromMilliseconds(100));
        }
    }

    public void Dispose()
    {
        Stop();
        _arrived.Dispose();
    }

    private async Task LoopAsync(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers;
            var received = new ReceivedWebhook(context.Request.Url!.AbsolutePath, headers["webhook-id"] ?? string.Empty,
                headers["webhook-timestamp"] ?? string.Empty, headers["webhook-signature"] ?? string.Empty, body, DateTimeOffset.UtcNow);
            _received.Enqueue(received);
            _arrived.Release();
            var answer = Answer(received);
            if (answer.Hold is { } hold)
            {
                await hold;
            }

            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away (killed worker, timeout): nothing to answer.
        }
    }
}
