using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Tasks;
using MediaWorker.Plugins.Video.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Tasks;

/// <summary>
/// ffmpeg expands every '%' of an image-sequence or HLS output pattern, so a COMPUTE_STORAGE_DIR
/// such as /srv/100%/media must not end up inside one.
/// </summary>
public sealed class PercentInStorageFolderTests
{
    private TempDirectory _root = null!;
    private string _input = null!;

    [OneTimeSetUp]
    public void CopyTheClip()
    {
        _root = new TempDirectory("mw-100%d%v");
        _input = _root.Combine("main.mp4");
        File.Copy(VideoTestSetUp.Clips.Main, _input);
    }

    [OneTimeTearDown]
    public void Delete() => _root.Dispose();

    [Test]
    public async Task SpriteSheet_WritesItsSheets()
    {
        var output = await RunAsync(new SpriteSheetHandler(VideoJobs.Services()), new JsonObject { ["input_path"] = _input, ["interval_seconds"] = 1 });

        Assert.That(output["sheet_count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(output["files"]!.AsArray().Select(f => f!.GetValue<string>()), Has.All.Matches<string>(File.Exists));
    }

    [Test]
    public async Task Keyframes_InOnePass_WritesItsFrames()
    {
        var output = await RunAsync(new KeyframesHandler(VideoJobs.Services()), new JsonObject { ["input_path"] = _input });

        Assert.That(output["frame_count"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(output["files"]!.AsArray().Select(f => f!.GetValue<string>()), Has.All.Matches<string>(File.Exists));
    }

    [Test]
    public async Task Hls_WritesItsPlaylistsAndSegments()
    {
        var output = await RunAsync(new HlsStreamingHandler(VideoJobs.Services()), new JsonObject
        {
            ["input_path"] = _input,
            ["variants"] = new JsonArray(new JsonObject { ["resolution"] = "120p", ["bitrate"] = "150k" }),
            ["segment_seconds"] = 2,
            ["preset"] = "ultrafast",
        });

        Assert.That(output["total_segments"]!.GetValue<int>(), Is.EqualTo(2));
        var master = output["master_playlist"]!.GetValue<string>();
        Assert.That(master, Does.StartWith(_root.Path));
        Assert.That(await File.ReadAllTextAsync(master), Does.Contain("120p/index.m3u8"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(master)!, "120p", "index.m3u8")), Does.Contain("segment_00000.ts"));
        Assert.That(output["files"]!.AsArray().Select(f => f!.GetValue<string>()), Has.All.Matches<string>(File.Exists));
    }

    private async Task<JsonObject> RunAsync(ITaskHandler handler, JsonObject parameters) =>
        await TestJobContext.RunAsync(handler, new TestJobContext(_root.Path, handler.Descriptor.TaskType, parameters));
}
