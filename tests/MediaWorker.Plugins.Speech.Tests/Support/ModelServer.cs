using System.Net;
using MediaWorker.Testing;

namespace MediaWorker.Plugins.Speech.Tests.Support;

/// <summary>
/// A real HTTP server on a loopback port that serves one file as <c>/ggml-NAME.bin</c> for any
/// NAME, honours Range requests like a CDN, and can drop the connection part-way through the
/// first response, as a flaky network does.
/// </summary>
internal sealed class ModelServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly byte[] _file;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _dropsLeft;

    public ModelServer(byte[] file, int dropFirstResponses = 0)
    {
        _file = file;
        _dropsLeft = dropFirstResponses;
        var port = FreePort.Next();
        BaseUrl = $"http://127.0.0.1:{port}/models";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The WHISPER_MODEL_BASE_URL to give the CLI.</summary>
    public string BaseUrl { get; }

    /// <summary>Each request's path and Range header, in order.</summary>
    public List<(string Path, string? Range)> Requests { get; } = [];

    /// <summary>Names (without ggml- and .bin) that answer 404.</summary>
    public HashSet<string> Missing { get; } = [];

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            await AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        lock (Requests)
        {
            Requests.Add((path, request.Headers["Range"]));
        }

        var name = Path.GetFileName(path);
        if (!path.StartsWith("/models/ggml-", StringComparison.Ordinal) || Missing.Contains(name["ggml-".Length..^".bin".Length]))
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }

        long from = 0;
        if (request.Headers["Range"] is { } range && range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            from = long.Parse(range["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
            response.StatusCode = 206;
            response.Headers["Content-Range"] = $"bytes {from}-{_file.Length - 1}/{_file.Length}";
        }

        var body = _file.AsMemory((int)from);
        response.ContentLength64 = body.Length;
        try
        {
            if (Interlocked.Decrement(ref _dropsLeft) >= 0)
            {
                // Half the body, then the connection goes away.
                await response.OutputStream.WriteAsync(body[..(body.Length / 2)]);
                await response.OutputStream.FlushAsync();
                await Task.Delay(100);
                response.Abort();
                return;
            }

            await response.OutputStream.WriteAsync(body);
            response.Close();
        }
        catch (HttpListenerException)
        {
            // The client went away.
        }
    }
}
