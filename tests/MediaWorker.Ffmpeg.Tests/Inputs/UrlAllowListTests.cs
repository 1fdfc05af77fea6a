using MediaWorker.Ffmpeg.Inputs;
using NUnit.Framework;

namespace MediaWorker.Ffmpeg.Tests.Inputs;

public sealed class UrlAllowListTests
{
    [TestCase("https://cdn.example.com", "https://cdn.example.com/live/a.m3u8", true)]
    [TestCase("https://cdn.example.com", "https://CDN.example.com/a.mp4", true)]
    [TestCase("https://cdn.example.com", "https://cdn.example.com.evil.net/a.mp4", false)]
    [TestCase("https://cdn.example.com", "https://cdn.example.com@evil.net/a.mp4", false)]
    [TestCase("https://cdn.example.com", "http://cdn.example.com/a.mp4", false)]
    [TestCase("https://cdn.example.com/videos/", "https://cdn.example.com/videos/a.mp4", true)]
    [TestCase("https://cdn.example.com/videos/", "https://cdn.example.com/videos/../private/a.mp4", false)]
    [TestCase("https://cdn.example.com/videos/", "https://cdn.example.com/other/a.mp4", false)]
    [TestCase("rtsp://10.0.0.5:8554", "rtsp://10.0.0.5:8554/cam1", true)]
    [TestCase("rtsp://10.0.0.5:855", "rtsp://10.0.0.5:8554/cam1", false)]
    public void Allows_MatchesPrefixesAtABoundary(string prefix, string url, bool allowed) =>
        Assert.That(UrlAllowList.Parse(prefix).Allows(new Uri(url)), Is.EqualTo(allowed));

    [Test]
    public void Parse_SplitsOnCommas_AndIgnoresBlanks()
    {
        var list = UrlAllowList.Parse(" https://a.example/ , ,rtmp://b.example ");

        Assert.That(list.Prefixes, Is.EqualTo(new[] { "https://a.example/", "rtmp://b.example" }));
    }

    [Test]
    public void Parse_OfNothing_AllowsNothing() =>
        Assert.That(UrlAllowList.Parse(null).Allows(new Uri("https://example.com/a.mp4")), Is.False);
}
