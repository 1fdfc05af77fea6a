using System.Net;
using System.Net.Sockets;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Ffmpeg.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Ffmpeg.Tests.Inputs;

public sealed class MediaInputTests
{
    [Test]
    public void FromFile_OpensTheFileWithTheFileProtocolOnly()
    {
        var input = MediaInput.FromFile("/media/a:b.mp4");

        Assert.That(input.Arguments("-ss", "2"), Is.EqualTo(new[] { "-protocol_whitelist", "file", "-ss", "2", "-i", "file:/media/a:b.mp4" }));
        Assert.That(input.IsUrl, Is.False);
    }

    [Test]
    public void FromUrl_RefusesEveryUrl_WhenNoPrefixIsAllowed()
    {
        var ex = Assert.Throws<InputNotAllowedException>(() => MediaInput.FromUrl("https://example.com/a.mp4", UrlAllowList.None));

        Assert.That(ex!.Message, Is.EqualTo("The URL 'https://example.com/a.mp4' is not allowed (none are allowed); add its prefix to VIDEO_ALLOWED_URL_PREFIXES to read it."));
    }

    [TestCase("file:///etc/passwd")]
    [TestCase("ftp://example.com/a.mp4")]
    [TestCase("concat:a.mp4|b.mp4")]
    public void FromUrl_RefusesOtherSchemes(string url) =>
        Assert.Throws<InputNotAllowedException>(() => MediaInput.FromUrl(url, UrlAllowList.Parse("file:,ftp://example.com,concat:")));

    [Test]
    public void FromUrl_NeverAllowsTheFileProtocol_ForAnAllowedUrl()
    {
        var input = MediaInput.FromUrl("https://cdn.example.com/live/index.m3u8", UrlAllowList.Parse("https://cdn.example.com"));

        Assert.That(input.IsUrl, Is.True);
        Assert.That(input.ProtocolWhitelist.Split(','), Does.Not.Contain("file"));
        Assert.That(input.Arguments()[^1], Is.EqualTo("https://cdn.example.com/live/index.m3u8"));
    }

    [TestCase("https://example.com/a.mp4", true)]
    [TestCase("rtsp://cam/1", true)]
    [TestCase("/media/a.mp4", false)]
    [TestCase("videos/a://b.mp4", false)]
    [TestCase("a.mp4", false)]
    public void LooksLikeUrl_TellsUrlsFromPaths(string value, bool expected) =>
        Assert.That(MediaInput.LooksLikeUrl(value), Is.EqualTo(expected));

    [Test]
    public async Task FromFile_KeepsACraftedPlaylistOffTheNetwork()
    {
        // A local playlist whose segment lives on a server: ffmpeg must refuse to fetch it.
        using var temp = new TempDirectory("mw-ffmpeg-playlist");
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        var playlist = temp.Combine("crafted.m3u8");
        await File.WriteAllTextAsync(playlist, $"#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\nhttp://127.0.0.1:{port}/segment.ts\n#EXT-X-ENDLIST\n");
        var accept = server.AcceptTcpClientAsync();

        var ex = Assert.ThrowsAsync<FfmpegException>(() => new FfmpegRunner(FfmpegToolPaths.Default).RunAsync(
            [.. MediaInput.FromFile(playlist).Arguments(), "-f", "null", "-"], null, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("protocol 'http' is not allowed for this input"));
        Assert.That(await Task.WhenAny(accept, Task.Delay(200)), Is.Not.SameAs(accept), "ffmpeg connected to the server");
    }
}
