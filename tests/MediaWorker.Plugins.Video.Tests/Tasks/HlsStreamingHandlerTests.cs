using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Tasks;
using MediaWorker.Plugins.Video.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Tasks;

public sealed class HlsStreamingHandlerTests
{
    private readonly HlsStreamingHandler _handler = new(VideoJobs.Services());

    [Test]
    public async Task Hls_WritesAMasterPlaylist_AndEvenSegmentsPerVariant()
    {
        var (output, context) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["variants"] = new JsonArray(
                new JsonObject { ["resolution"] = "240p", ["bitrate"] = "400k" },
                new JsonObject { ["resolution"] = "120p", ["bitrate"] = "150k" }),
            ["segment_seconds"] = 1,
            ["preset"] = "ultrafast",
        });

        var master = output["master_playlist"]!.GetValue<string>();
        Assert.That(master, Is.EqualTo(Path.Combine(context.Files.OutputDirectory, "master.m3u8")));
        Assert.That(output["variants_generated"]!.AsArray().Select(v => v!.GetValue<string>()), Is.EqualTo(new[] { "240p", "120p" }));
        Assert.That(output["total_segments"]!.GetValue<int>(), Is.EqualTo(8), "4 s in 1 s segments, twice");

        var masterText = await File.ReadAllTextAsync(master);
        Assert.That(masterText, Does.Contain("RESOLUTION=320x240").And.Contain("RESOLUTION=160x120"));
        Assert.That(masterText, Does.Contain("240p/index.m3u8").And.Contain("120p/index.m3u8"));
        foreach (var variant in output["variants"]!.AsArray())
        {
            var playlist = await File.ReadAllLinesAsync(variant!["playlist"]!.GetValue<string>());
            var durations = playlist.Where(l => l.StartsWith("#EXTINF:", StringComparison.Ordinal))
                .Select(l => double.Parse(l["#EXTINF:".Length..].TrimEnd(','), CultureInfo.InvariantCulture)).ToList();
            Assert.That(durations, Has.Count.EqualTo(4));
            Assert.That(durations, Has.All.EqualTo(1.0).Within(0.001), "a keyframe at every boundary makes every segment exactly 1 s");
            Assert.That(variant["segments"]!.GetValue<int>(), Is.EqualTo(4));
        }

        var files = output["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        Assert.That(files, Has.Count.EqualTo(1 + 2 + 8));
        Assert.That(files[^1], Is.EqualTo(master), "the master playlist is committed last");
        Assert.That(files, Has.All.Matches<string>(File.Exists));
        Assert.That(context.ReportedProgress[^1], Is.EqualTo(100));
    }

    [Test]
    public async Task DefaultLadder_SkipsTiersAboveTheSource_AndIncludeOriginalAddsIt()
    {
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["include_original"] = true,
            ["segment_seconds"] = 2,
            ["preset"] = "ultrafast",
        });

        Assert.That(output["variants_generated"]!.AsArray().Select(v => v!.GetValue<string>()), Is.EqualTo(new[] { "original", "240p" }));
        Assert.That(output["variants_skipped"]!.AsArray().Select(v => v!.GetValue<string>()), Is.EqualTo(new[] { "720p", "480p" }));
        Assert.That(output["variants"]!.AsArray().Select(v => v!["resolution"]!.GetValue<string>()), Is.EqualTo(new[] { "320x240", "320x240" }));
        Assert.That(output["total_segments"]!.GetValue<int>(), Is.EqualTo(4));
    }

    [Test]
    public async Task PortraitVideo_TakesTheTierFromItsShortSide()
    {
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Rotated,
            ["variants"] = new JsonArray(new JsonObject { ["resolution"] = "120p", ["bitrate"] = "150k" }),
            ["preset"] = "ultrafast",
        });

        Assert.That(output["variants"]!.AsArray().Single()!["resolution"]!.GetValue<string>(), Is.EqualTo("120x160"));
    }

    [Test]
    public void ARepeatedResolution_IsRefused()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["variants"] = new JsonArray(
                new JsonObject { ["resolution"] = "240p", ["bitrate"] = "400k" },
                new JsonObject { ["resolution"] = "240p", ["bitrate"] = "200k" }),
        }));

        Assert.That(ex!.Message, Is.EqualTo("Parameter 'variants' lists 240p twice."));
    }

    [Test]
    public void AudioOnlyInput_IsRefused() =>
        Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.AudioOnly }));
}
