using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Ffmpeg.Tests.Support;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Tasks;
using MediaWorker.Plugins.Video.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Tasks;

public sealed class SceneDetectHandlerTests
{
    private readonly SceneDetectHandler _handler = new(VideoJobs.Services());

    [Test]
    public async Task SceneDetect_FindsTheCutsAtTheirKnownTimes_AndCoversTheWholeVideo()
    {
        var (output, context) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Scenes });

        var scenes = output["scenes"]!.AsArray();
        Assert.That(output["scene_count"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(scenes.Select(s => s!["index"]!.GetValue<int>()), Is.EqualTo(new[] { 0, 1, 2, 3 }));
        Assert.That(scenes.Select(s => s!["start"]!.GetValue<double>()), Is.EqualTo(new[] { 0.0 }.Concat(TestClips.SceneCutSeconds)).Within(0.02));
        Assert.That(scenes.Select(s => s!["end"]!.GetValue<double>()), Is.EqualTo(TestClips.SceneCutSeconds.Append(TestClips.ScenesSeconds)).Within(0.05));
        Assert.That(scenes.Skip(1).Select(s => s!["score"]!.GetValue<double>()), Has.All.GreaterThan(0.3));
        Assert.That(context.ReportedProgress, Is.Ordered.Ascending);
        Assert.That(context.ReportedProgress[^1], Is.EqualTo(100));
    }

    [Test]
    public async Task SceneDetect_MergesScenesShorterThanTheMinimum()
    {
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Scenes,
            ["threshold"] = 0.3,
            ["min_scene_seconds"] = 1.2,
        });

        Assert.That(output["scenes"]!.AsArray().Select(s => s!["start"]!.GetValue<double>()), Is.EqualTo(new[] { 0.0, 2.0, 3.6 }).Within(0.02));
    }

    [Test]
    public async Task SceneDetect_FindsACutBetweenTwoColoursOfEqualBrightness()
    {
        // Red, then a green of the same luma (Y 81): ffmpeg's scene score for the cut is about 0.01.
        var clip = Path.Combine(VideoTestSetUp.Root, "red-green.mp4");
        await new FfmpegRunner(FfmpegToolPaths.Default).RunAsync(
            [
                "-f", "lavfi", "-i", "color=c=0xFF0000:s=320x240:r=25:d=1", "-f", "lavfi", "-i", "color=c=0x008200:s=320x240:r=25:d=1",
                "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]", "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip,
            ],
            null,
            CancellationToken.None);

        var (colour, _) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = clip });
        var (luma, _) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = clip, ["detector"] = "luma" });

        Assert.That(colour["detector"]!.GetValue<string>(), Is.EqualTo("colour"), "colour is the default");
        Assert.That(colour["scenes"]!.AsArray().Select(s => s!["start"]!.GetValue<double>()), Is.EqualTo(new[] { 0.0, 1.0 }).Within(0.02));
        Assert.That(colour["scenes"]![1]!["score"]!.GetValue<double>(), Is.GreaterThan(0.5));
        Assert.That(luma["scene_count"]!.GetValue<int>(), Is.EqualTo(1), "brightness alone does not see the cut");
    }

    [Test]
    public void SceneDetect_RefusesAThresholdOutsideZeroToOne()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Scenes,
            ["threshold"] = 1.5,
        }));

        Assert.That(ex!.Message, Is.EqualTo("Parameter 'threshold' must be at least 0 and at most 1 (got 1.5)."));
    }

    [Test]
    public void SceneDetect_RefusesAudioOnlyInput() =>
        Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.AudioOnly }));
}
