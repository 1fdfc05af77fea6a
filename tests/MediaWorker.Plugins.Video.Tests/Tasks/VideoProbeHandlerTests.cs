using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Tasks;
using MediaWorker.Plugins.Video.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Tasks;

public sealed class VideoProbeHandlerTests
{
    private readonly VideoProbeHandler _handler = new(VideoJobs.Services());

    [Test]
    public async Task Probe_ReportsContainerVideoAndAudio()
    {
        var (output, context) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Main });

        Assert.That(output["duration"]!.GetValue<double>(), Is.EqualTo(4.0).Within(0.05));
        Assert.That(output["format"]!.GetValue<string>(), Does.Contain("mp4"));
        Assert.That(output["bit_rate"]!.GetValue<long>(), Is.GreaterThan(0));
        var video = output["video"]!;
        Assert.That(video["codec"]!.GetValue<string>(), Is.EqualTo("h264"));
        Assert.That(video["width"]!.GetValue<int>(), Is.EqualTo(320));
        Assert.That(video["height"]!.GetValue<int>(), Is.EqualTo(240));
        Assert.That(video["frame_rate"]!.GetValue<string>(), Is.EqualTo("25/1"));
        Assert.That(video["fps"]!.GetValue<double>(), Is.EqualTo(25));
        Assert.That(video["rotation"]!.GetValue<int>(), Is.Zero);
        var audio = output["audio"]!;
        Assert.That(audio["codec"]!.GetValue<string>(), Is.EqualTo("aac"));
        Assert.That(audio["channels"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(audio["sample_rate"]!.GetValue<int>(), Is.EqualTo(44100));
        Assert.That(output["streams"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That(context.ReportedProgress[^1], Is.EqualTo(100));
    }

    [Test]
    public async Task Probe_ReportsRotation_AndTheUprightSize_OfAPhoneClip()
    {
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Rotated });

        var video = output["video"]!;
        Assert.That(video["rotation"]!.GetValue<int>(), Is.EqualTo(90).Or.EqualTo(270));
        Assert.That(video["display_width"]!.GetValue<int>(), Is.EqualTo(240));
        Assert.That(video["display_height"]!.GetValue<int>(), Is.EqualTo(320));
    }

    [Test]
    public async Task Probe_DescribesAudioOnlyFiles()
    {
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.AudioOnly });

        Assert.That(output["video"], Is.Null);
        Assert.That(output["audio"]!["sample_rate"]!.GetValue<int>(), Is.EqualTo(48000));
    }

    [Test]
    public void Probe_FailsPermanently_WithFfmpegsReason_ForATruncatedMp4()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Truncated }));

        Assert.That(ex!.Message, Is.EqualTo($"'{VideoTestSetUp.Clips.Truncated}': moov atom not found: the MP4 is truncated or incomplete"));
    }

    [Test]
    public void Probe_FailsPermanently_ForAFileThatIsNotMedia()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.NotMedia }));

        Assert.That(ex!.Message, Is.EqualTo($"{VideoTestSetUp.Clips.NotMedia}: invalid data found when processing input: it is not a media file ffmpeg can read, or it is corrupt"));
    }

    [Test]
    public void Probe_FailsPermanently_ForAMissingFile()
    {
        var missing = Path.Combine(VideoTestSetUp.Root, "clips", "gone.mp4");

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = missing }));

        Assert.That(ex!.Message, Does.StartWith($"input_path '{missing}' does not exist"));
    }
}
