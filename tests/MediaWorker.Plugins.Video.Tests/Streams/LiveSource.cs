using System.Diagnostics;
using System.Net;
using MediaWorker.Testing;

namespace MediaWorker.Plugins.Video.Tests.Streams;

/// <summary>
/// A live source on a free loopback port: an ffmpeg that encodes a test pattern and a tone in
/// real time (<c>-re</c>, a keyframe every second) and serves it as MPEG-TS over HTTP or as RTMP
/// in listen mode, or writes a live HLS playlist that a small HTTP server in the test serves.
/// </summary>
public sealed class LiveSource : IDisposable
{
    private const string Pattern = "testsrc2=size=320x240:rate=25";
    private readonly TempDirectory? _hlsFolder;
    private HttpListener? _http;
    private Process? _ffmpeg;

    private readonly double? _seconds;

    private LiveSource(string kind, int port, double? seconds)
    {
        Kind = kind;
        Port = port;
        _seconds = seconds;
        if (kind == "hls")
        {
            _hlsFolder = new TempDirectory("mw-hls-source");
        }
    }

    public string Kind { get; }

    public int Port { get; }

    public string Url => Kind switch
    {
        "http" => $"http://127.0.0.1:{Port}/live.ts",
        "rtmp" => $"rtmp://127.0.0.1:{Port}/live/stream",
        _ => $"http://127.0.0.1:{Port}/live.m3u8",
    };

    public string AllowedPrefix => Kind == "rtmp" ? $"rtmp://127.0.0.1:{Port}" : $"http://127.0.0.1:{Port}";

    /// <summary>Starts a source: <c>http</c> (MPEG-TS), <c>rtmp</c> or <c>hls</c>.</summary>
    /// <param name="kind">The protocol.</param>
    /// <param name="seconds">
    /// Ends the stream cleanly after this much (ffmpeg finishes its output: the chunked terminator
    /// over HTTP, #EXT-X-ENDLIST in the playlist); <see langword="null"/> for a stream without end.
    /// </param>
    public static LiveSource Start(string kind, double? seconds = null)
    {
        var source = new LiveSource(kind, FreePort.Next(), seconds);
        source.StartFfmpeg();
        if (kind == "hls")
        {
            source.ServeFolder();
            // A live playlist exists once the first media segment is written.
            var playlist = Path.Combine(source._hlsFolder!.Path, "live.m3u8");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!File.Exists(playlist) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }

        return source;
    }

    /// <summary>Kills the source outright (SIGKILL), as a crashed encoder or a cut cable would.</summary>
    public void Kill()
    {
        if (_ffmpeg is { HasExited: false })
        {
            _ffmpeg.Kill(entireProcessTree: true);
            _ffmpeg.WaitForExit(5000);
        }

        _ffmpeg?.Dispose();
        _ffmpeg = null;
    }

    /// <summary>Starts the source again on the same port.</summary>
    public void Restart()
    {
        Kill();
        StartFfmpeg();
    }

    public void Dispose()
    {
        Kill();
        _http?.Close();
        _hlsFolder?.Dispose();
    }

    private void StartFfmpeg()
    {
        List<string> args =
        [
            "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", Pattern, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "64k",
        ];
        if (_seconds is { } seconds)
        {
            args.AddRange(["-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        args.AddRange(Kind switch
        {
            "http" => ["-f", "mpegts", "-listen", "1", Url],
            "rtmp" => ["-f", "flv", "-listen", "1", Url],
            _ => ["-f", "hls", "-hls_time", "1", "-hls_list_size", "6", "-hls_flags", _seconds is null ? "delete_segments+omit_endlist" : "delete_segments", Path.Combine(_hlsFolder!.Path, "live.m3u8")],
        });
        var info = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardError = false, RedirectStandardInput = true };
        args.ForEach(info.ArgumentList.Add);
        _ffmpeg = Process.Start(info)!;
    }

    private void ServeFolder()
    {
        _http = new HttpListener();
        _http.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _http.Start();
        _ = Task.Run(async () =>
        {
            while (_http.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _http.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var file = Path.Combine(_hlsFolder!.Path, Path.GetFileName(context.Request.Url!.AbsolutePath));
                try
                {
                    var bytes = await File.ReadAllBytesAsync(file);
                    context.Response.ContentType = file.EndsWith(".m3u8", StringComparison.Ordinal) ? "application/vnd.apple.mpegurl" : "video/mp2t";
                    await context.Response.OutputStream.WriteAsync(bytes);
                }
                catch (IOException)
                {
                    context.Response.StatusCode = 404;
                }

                context.Response.Close();
            }
        });
    }
}
