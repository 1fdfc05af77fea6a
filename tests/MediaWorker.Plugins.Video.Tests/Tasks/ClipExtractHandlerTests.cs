using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Tasks;
using MediaWorker.Plugins.Video.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Tasks;

public sealed class ClipExtractHandlerTests
{
    private readonly ClipExtractHandler _handler = new(VideoJobs.Services());

    [Test]
    public async Task InputStartAndEnd_AreEnough_AndTheCutIsFrameAccurate()
    {
        // The blue scene of the colour clip runs from 1.0 to 2.0 s.
        var (output, context) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Scenes,
            ["start"] = 1.0,
            ["end"] = 2.0,
        });

        var path = output["path"]!.GetValue<string>();
        Assert.That(path, Is.EqualTo(Path.Combine(context.Files.OutputDirectory, "scenes_1-2.mp4")));
        Assert.That(output["reencoded"]!.GetValue<bool>(), Is.True);
        Assert.That(output["duration"]!.GetValue<double>(), Is.EqualTo(1.0).Within(0.05));
        Assert.That(output["video_codec"]!.GetValue<string>(), Is.EqualTo("h264"));
        Assert.That(output["audio_codec"]!.GetValue<string>(), Is.EqualTo("aac"));
        Assert.That(VideoJobs.ColourName(await VideoJobs.AverageColourAsync(path)), Is.EqualTo("blue"), "the first frame is the first of the blue scene");
        Assert.That(output["files"]!.AsArray().Select(f => f!.GetValue<string>()), Is.EqualTo(new[] { path }));
        Assert.That(context.ReportedProgress[^1], Is.EqualTo(100));
    }

    [Test]
    public async Task Reencoded_AStartBetweenTwoFrames_GivesEverySourceFrameInTheRangeExactlyOnce()
    {
        // Frames are 40 ms apart: 0.5 s falls between frame 12 (0.48) and 13 (0.52), 1.5 s between 37 and 38.
        var clip = await VideoJobs.NumberedFramesClipAsync(Path.Combine(VideoTestSetUp.Root, "numbered"));

        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = clip, ["start"] = 0.5, ["end"] = 1.5 });

        var frames = (await VideoJobs.FrameLumaAsync(output["path"]!.GetValue<string>())).Select(VideoJobs.FrameNumber).ToArray();
        Assert.That(frames, Is.EqualTo(Enumerable.Range(13, 25).ToArray()), "frames 13..37, none repeated, none missing");
    }

    [Test]
    public async Task StreamCopy_ReportsTheKeyframeItReallyStartsOn_AndWhereItReallyEnds()
    {
        // Keyframes every second: a copy asked to start at 1.5 starts on the keyframe at 1.0.
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["start"] = 1.5,
            ["end"] = 3.2,
            ["reencode"] = false,
        });

        var written = await VideoJobs.ProbeAsync(output["path"]!.GetValue<string>());
        Assert.That(output["start"]!.GetValue<double>(), Is.EqualTo(1.0).Within(0.001));
        Assert.That(output["duration"]!.GetValue<double>(), Is.EqualTo(written.Duration!.Value.TotalSeconds).Within(0.001));
        Assert.That(output["duration"]!.GetValue<double>(), Is.EqualTo(2.2).Within(0.06));
        Assert.That(output["end"]!.GetValue<double>(), Is.EqualTo(1.0 + written.Duration!.Value.TotalSeconds).Within(0.002));
    }

    [Test]
    public async Task StreamCopy_IsMarked_AndKeepsTheCodecs()
    {
        var target = Path.Combine(VideoTestSetUp.Root, "clips-out", "copy.mkv");

        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["start"] = 1,
            ["end"] = 3,
            ["reencode"] = false,
            ["output_path"] = target,
        });

        Assert.That(output["path"]!.GetValue<string>(), Is.EqualTo(target));
        Assert.That(output["reencoded"]!.GetValue<bool>(), Is.False);
        Assert.That(output["duration"]!.GetValue<double>(), Is.EqualTo(2.0).Within(0.1), "a keyframe every second: the copy starts on one");
    }

    [Test]
    public async Task AnEndPastTheInput_StopsAtTheEnd()
    {
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Main, ["start"] = 3, ["end"] = 60 });

        Assert.That(output["end"]!.GetValue<double>(), Is.EqualTo(4.0).Within(0.05));
        Assert.That(output["duration"]!.GetValue<double>(), Is.EqualTo(1.0).Within(0.1));
    }

    [Test]
    public async Task AudioOnlyInput_GivesAnAudioClip()
    {
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.AudioOnly, ["start"] = 0.25, ["end"] = 0.75 });

        Assert.That(output["video_codec"], Is.Null);
        Assert.That(output["audio_codec"]!.GetValue<string>(), Is.EqualTo("aac"));
    }

    [Test]
    public void StartBeyondTheEnd_IsRefused()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Main, ["start"] = 10, ["end"] = 12 }));

        Assert.That(ex!.Message, Does.StartWith("Parameter 'start' (10 s) is at or beyond the end of the input"));
    }

    [TestCase(2.0, 2.0)]
    [TestCase(2.0, 1.0)]
    public void AZeroOrNegativeDuration_IsRefused(double start, double end)
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Main, ["start"] = start, ["end"] = end }));

        Assert.That(ex!.Message, Does.Contain("must be after 'start'"));
    }

    [Test]
    public void MissingEnd_IsRefused()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Main, ["start"] = 1 }));

        Assert.That(ex!.Message, Is.EqualTo("Parameters 'start' and 'end' (seconds) are required."));
    }

    [Test]
    public void AnUnsupportedOutputExtension_IsRefused()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["start"] = 1,
            ["end"] = 2,
            ["output_path"] = "clip.gif",
        }));

        Assert.That(ex!.Message, Is.EqualTo("Parameter 'output_path' must end with .mp4, .mov, .mkv, .webm (got 'clip.gif')."));
    }
}
