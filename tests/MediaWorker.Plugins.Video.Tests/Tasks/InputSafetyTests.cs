using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Tasks;
using MediaWorker.Plugins.Video.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Tasks;

public sealed class InputSafetyTests
{
    [Test]
    public void UrlInput_IsRefused_WhenNoPrefixIsAllowed()
    {
        var handler = new VideoProbeHandler(VideoJobs.Services());

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(handler, new JsonObject { ["input_path"] = "https://example.com/a.mp4" }));

        Assert.That(ex!.Message, Is.EqualTo("input_path: The URL 'https://example.com/a.mp4' is not allowed (none are allowed); add its prefix to VIDEO_ALLOWED_URL_PREFIXES to read it."));
    }

    [Test]
    public void UrlInput_IsRefused_WhenItIsOutsideTheAllowedPrefixes()
    {
        var handler = new VideoProbeHandler(VideoJobs.Services("https://cdn.example.com/videos/"));

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(handler, new JsonObject { ["input_path"] = "https://cdn.example.com/private/a.mp4" }));

        Assert.That(ex!.Message, Does.Contain("allowed: https://cdn.example.com/videos/"));
    }

    [Test]
    public async Task AllowedUrlInput_IsRead_OverHttp()
    {
        // A tiny HTTP server on loopback serves the test clip: the allowed URL is really fetched.
        using var server = new HttpListener();
        var port = MediaWorker.Testing.FreePort.Next();
        var prefix = $"http://127.0.0.1:{port}/";
        server.Prefixes.Add(prefix);
        server.Start();
        var serving = ServeFileAsync(server, VideoTestSetUp.Clips.Main);
        var handler = new VideoProbeHandler(VideoJobs.Services(prefix));

        var (output, _) = await VideoJobs.RunAsync(handler, new JsonObject { ["input_path"] = prefix + "main.mp4" });

        Assert.That(output["video"]!["codec"]!.GetValue<string>(), Is.EqualTo("h264"));
        server.Stop();
        await serving;
    }

    [Test]
    public void AllowedUrlInput_IsRetried_WhenTheServerCannotBeReached()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var handler = new VideoProbeHandler(VideoJobs.Services($"http://127.0.0.1:{port}"));

        var ex = Assert.ThrowsAsync<RetryableJobException>(() => VideoJobs.RunAsync(handler, new JsonObject { ["input_path"] = $"http://127.0.0.1:{port}/a.mp4" }));

        Assert.That(ex!.Message, Does.Contain("Connection refused"));
    }

    private static async Task ServeFileAsync(HttpListener server, string path)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        while (server.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await server.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            // Honour simple range requests: ffmpeg seeks to the moov atom with them.
            var range = context.Request.Headers["Range"];
            var start = range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) ? long.Parse(range[6..].Split('-')[0]) : 0;
            context.Response.StatusCode = start > 0 ? 206 : 200;
            context.Response.ContentType = "video/mp4";
            context.Response.AddHeader("Accept-Ranges", "bytes");
            if (start > 0)
            {
                context.Response.AddHeader("Content-Range", $"bytes {start}-{bytes.Length - 1}/{bytes.Length}");
            }

            context.Response.ContentLength64 = bytes.Length - start;
            try
            {
                await context.Response.OutputStream.WriteAsync(bytes.AsMemory((int)start));
                context.Response.Close();
            }
            catch (HttpListenerException)
            {
                // ffmpeg closes the connection once it has read what it needs.
            }
        }
    }
}
