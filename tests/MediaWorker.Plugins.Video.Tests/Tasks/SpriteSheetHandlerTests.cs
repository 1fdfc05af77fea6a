using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Imaging;
using MediaWorker.Plugins.Video.Tasks;
using MediaWorker.Plugins.Video.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Tasks;

public sealed class SpriteSheetHandlerTests
{
    private readonly SpriteSheetHandler _handler = new(VideoJobs.Services());

    [Test]
    public async Task SpriteSheet_TilesAThumbnailPerInterval_AndWritesAWebVttTrack()
    {
        // 4 s every 0.5 s: 8 thumbnails of 80x60, 3x2 per sheet -> two sheets of 240x120.
        var (output, context) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["interval_seconds"] = 0.5,
            ["tile_width"] = 80,
            ["columns"] = 3,
            ["rows"] = 2,
        });

        Assert.That(output["thumbnail_count"]!.GetValue<int>(), Is.EqualTo(8));
        var sheets = output["sheets"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.That(sheets.Select(Path.GetFileName), Is.EqualTo(new[] { "sprite_001.jpg", "sprite_002.jpg" }));
        Assert.That(sheets.Select(ImageDimensions.Read), Has.All.EqualTo((240, 120)));
        Assert.That(output["tile_height"]!.GetValue<int>(), Is.EqualTo(60));

        var vtt = await File.ReadAllTextAsync(output["vtt_path"]!.GetValue<string>());
        Assert.That(vtt, Does.StartWith("WEBVTT\n\n00:00:00.000 --> 00:00:00.500\nsprite_001.jpg#xywh=0,0,80,60\n"));
        Assert.That(vtt, Does.Contain("00:00:02.000 --> 00:00:02.500\nsprite_001.jpg#xywh=80,60,80,60\n"), "the 5th thumbnail: second row, second column of sheet 1");
        Assert.That(vtt, Does.Contain("00:00:03.000 --> 00:00:03.500\nsprite_002.jpg#xywh=0,0,80,60\n"), "the 7th starts sheet 2");
        Assert.That(vtt.Split("-->"), Has.Length.EqualTo(9));

        var files = output["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        Assert.That(files, Is.EquivalentTo(sheets.Append(output["vtt_path"]!.GetValue<string>())));
        Assert.That(files[^1], Does.EndWith("thumbnails.vtt"), "the track is committed after the sheets it points to");
        Assert.That(context.ReportedProgress[^1], Is.EqualTo(100));
    }

    [Test]
    public async Task SpriteSheet_TakesThumbnailsAtTheirTimes()
    {
        // One thumbnail per scene of the colour clip (scenes start at 0, 1, 2 and 3.6 s; take 0, 1, 2, 3, 4).
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Scenes,
            ["interval_seconds"] = 1,
            ["tile_width"] = 32,
            ["columns"] = 1,
            ["rows"] = 1,
            ["format"] = "png",
        });

        var colours = new List<string>();
        foreach (var sheet in output["sheets"]!.AsArray())
        {
            colours.Add(VideoJobs.ColourName(await VideoJobs.AverageColourAsync(sheet!.GetValue<string>())));
        }

        Assert.That(colours, Is.EqualTo(new[] { "red", "blue", "green", "green", "white" }));
    }

    [Test]
    public void AudioOnlyInput_IsRefused() =>
        Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.AudioOnly }));

    [Test]
    public void WebVttTimestamps_CountHoursPast99() =>
        Assert.That(WebVttThumbnails.Timestamp(TimeSpan.FromHours(101) + TimeSpan.FromMilliseconds(1234)), Is.EqualTo("101:00:01.234"));
}
