using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Ffmpeg.Tests.Support;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Tasks;
using MediaWorker.Plugins.Video.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Tasks;

public sealed class KeyframesHandlerTests
{
    private readonly KeyframesHandler _handler = new(VideoJobs.Services());

    private static double[] Times(JsonObject output) => [.. output["frames"]!.AsArray().Select(f => f!["time"]!.GetValue<double>())];

    [Test]
    public async Task Keyframes_WritesEveryIFrame_WhenFewerThanMaxFrames()
    {
        // The main clip has a keyframe every second (GOP 25 at 25 fps).
        var (output, context) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Main });

        Assert.That(output["candidates"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(Times(output), Is.EqualTo(new[] { 0.0, 1.0, 2.0, 3.0 }));
        var frames = output["frames"]!.AsArray();
        Assert.That(frames.Select(f => f!["index"]!.GetValue<int>()), Is.EqualTo(new[] { 0, 1, 2, 3 }));
        Assert.That(frames.Select(f => (f!["width"]!.GetValue<int>(), f["height"]!.GetValue<int>())), Has.All.EqualTo((320, 240)));
        var files = output["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        Assert.That(files, Is.EqualTo(frames.Select(f => f!["path"]!.GetValue<string>())));
        Assert.That(files, Has.All.Matches<string>(f => File.Exists(f) && f.StartsWith(context.Files.OutputDirectory, StringComparison.Ordinal) && f.EndsWith(".jpg", StringComparison.Ordinal)));
        Assert.That(context.ReportedProgress, Is.Ordered.Ascending);
        Assert.That(context.ReportedProgress[^1], Is.EqualTo(100));
    }

    [Test]
    public async Task Interval_WithMaxFrames_AppliesTheSmartSelection_ExactlyInTime()
    {
        // Candidates 0, 0.5, ..., 3.5 (8); four allowed: targets 0, 1.167, 2.333, 3.5 -> 0, 1.0, 2.5, 3.5.
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["mode"] = "interval",
            ["interval_seconds"] = 0.5,
            ["max_frames"] = 4,
        });

        Assert.That(output["candidates"]!.GetValue<int>(), Is.EqualTo(8));
        Assert.That(Times(output), Is.EqualTo(new[] { 0.0, 1.0, 2.5, 3.5 }));
        Assert.That(output["frame_count"]!.GetValue<int>(), Is.EqualTo(4));
    }

    private static async Task<List<string>> Colours(JsonObject output)
    {
        var colours = new List<string>();
        foreach (var frame in output["frames"]!.AsArray())
        {
            colours.Add(VideoJobs.ColourName(await VideoJobs.AverageColourAsync(frame!["path"]!.GetValue<string>())));
        }

        return colours;
    }

    [Test]
    public async Task Scenes_WritesTheFirstFrameOfEveryScene()
    {
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Scenes,
            ["mode"] = "scenes",
            ["format"] = "png",
        });

        Assert.That(Times(output), Is.EqualTo(new[] { 0.0 }.Concat(TestClips.SceneCutSeconds)).Within(0.021));
        Assert.That(await Colours(output), Is.EqualTo(new[] { "red", "blue", "green", "white" }), "each frame is the first of its scene, not the last of the one before");
    }

    [Test]
    public async Task KeyframesOfAnMpegTs_CountFromTheInputStart_InBothExtractionPaths()
    {
        // MPEG-TS starts its clock at 1.4 s; ffprobe's packet times include that, ffmpeg's seeks and
        // filters do not. The colour clip has a keyframe every 0.48 s: 11 in all.
        var ts = Path.Combine(VideoTestSetUp.Root, "clips", "scenes.ts");
        await new FfmpegRunner(FfmpegToolPaths.Default).RunAsync(["-i", VideoTestSetUp.Clips.Scenes, "-c", "copy", ts], null, CancellationToken.None);

        // Most keyframes wanted: one decoding pass. Two of eleven: a seek each.
        var (onePass, _) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = ts, ["max_frames"] = 20 });
        var (seeks, _) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = ts, ["max_frames"] = 2 });

        var all = Times(onePass);
        Assert.That(all, Has.Length.EqualTo(11));
        Assert.That(all[0], Is.EqualTo(0).Within(0.03), "times count from the input's start, not the transport stream's clock");
        Assert.That(all.Zip(all.Skip(1)).Select(p => p.Second - p.First), Has.All.EqualTo(0.48).Within(0.002));
        Assert.That(await Colours(onePass), Is.EqualTo(new[] { "red", "red", "red", "blue", "blue", "green", "green", "green", "white", "white", "white" }));
        Assert.That(Times(seeks), Is.EqualTo(new[] { all[0], all[^1] }).Within(0.001));
        Assert.That(await Colours(seeks), Is.EqualTo(new[] { "red", "white" }));
    }

    [Test]
    public async Task Frames_OfAPhoneClip_AreUpright()
    {
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Rotated, ["max_frames"] = 1 });

        var frame = output["frames"]!.AsArray().Single()!;
        Assert.That((frame["width"]!.GetValue<int>(), frame["height"]!.GetValue<int>()), Is.EqualTo((240, 320)));
    }

    [Test]
    public async Task MaxWidth_ScalesFramesDown_KeepingTheAspectRatio()
    {
        var outputDir = Path.Combine(VideoTestSetUp.Root, "keyframes-small");

        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["max_width"] = 160,
            ["max_frames"] = 2,
            ["output_dir"] = outputDir,
        });

        var frames = output["frames"]!.AsArray();
        Assert.That(frames.Select(f => (f!["width"]!.GetValue<int>(), f["height"]!.GetValue<int>())), Has.All.EqualTo((160, 120)));
        Assert.That(Times(output), Is.EqualTo(new[] { 0.0, 3.0 }));
        Assert.That(Directory.GetFiles(outputDir), Has.Length.EqualTo(2));
    }

    [Test]
    public void IntervalSeconds_WithAnotherMode_IsRefused()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["interval_seconds"] = 2,
        }));

        Assert.That(ex!.Message, Is.EqualTo("Parameter 'interval_seconds' applies only to mode 'interval' (mode is 'keyframes')."));
    }

    [Test]
    public void AudioOnlyInput_IsRefused()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.AudioOnly }));

        Assert.That(ex!.Message, Is.EqualTo($"'{VideoTestSetUp.Clips.AudioOnly}' has no video stream (it has only audio (aac))."));
    }
}
