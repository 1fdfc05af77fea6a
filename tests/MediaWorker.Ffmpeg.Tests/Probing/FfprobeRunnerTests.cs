using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Ffmpeg.Tests.Probing;

public sealed class FfprobeRunnerTests
{
    private readonly FfprobeRunner _ffprobe = new(FfmpegToolPaths.Default);

    [Test]
    public async Task ProbeAsync_DescribesContainerAndStreams()
    {
        var info = await _ffprobe.ProbeAsync(MediaInput.FromFile(Clips.Get.Main), CancellationToken.None);

        Assert.That(info.FormatName, Does.Contain("mp4"));
        Assert.That(info.Duration!.Value.TotalSeconds, Is.EqualTo(TestClips.MainSeconds).Within(0.05));
        Assert.That(info.BitRate, Is.GreaterThan(0));
        Assert.That(info.Size, Is.EqualTo(new FileInfo(Clips.Get.Main).Length));
        Assert.That(info.Streams, Has.Count.EqualTo(2));

        var video = info.PrimaryVideo!;
        Assert.That(video.CodecName, Is.EqualTo("h264"));
        Assert.That((video.Width, video.Height), Is.EqualTo((320, 240)));
        Assert.That(video.FrameRate, Is.EqualTo(new Rational(25, 1)));
        Assert.That(video.Rotation, Is.Zero);
        Assert.That(video.PixelFormat, Is.EqualTo("yuv420p"));
        Assert.That(video.FrameCount, Is.EqualTo(100));
        Assert.That(video.BitRate, Is.GreaterThan(0));

        var audio = info.PrimaryAudio!;
        Assert.That(audio.CodecName, Is.EqualTo("aac"));
        Assert.That(audio.Channels, Is.EqualTo(2));
        Assert.That(audio.SampleRate, Is.EqualTo(44100));
        Assert.That(audio.ChannelLayout, Is.EqualTo("stereo"));
    }

    [Test]
    public async Task ProbeAsync_ReportsRotation_AndTheUprightSize_OfAPortraitPhoneClip()
    {
        var info = await _ffprobe.ProbeAsync(MediaInput.FromFile(Clips.Get.Rotated), CancellationToken.None);

        var video = info.PrimaryVideo!;
        Assert.That(video.Rotation, Is.EqualTo(90).Or.EqualTo(270));
        Assert.That((video.Width, video.Height), Is.EqualTo((320, 240)));
        Assert.That((video.DisplayWidth, video.DisplayHeight), Is.EqualTo((240, 320)));
    }

    [Test]
    public async Task ProbeAsync_FindsNoVideo_InAnAudioOnlyFile()
    {
        var info = await _ffprobe.ProbeAsync(MediaInput.FromFile(Clips.Get.AudioOnly), CancellationToken.None);

        Assert.That(info.HasVideo, Is.False);
        Assert.That(info.PrimaryAudio!.SampleRate, Is.EqualTo(48000));
        var ex = Assert.Throws<FfmpegException>(() => MediaRequirements.RequireVideo(info, MediaInput.FromFile(Clips.Get.AudioOnly)));
        Assert.That(ex!.Message, Is.EqualTo($"'{Clips.Get.AudioOnly}' has no video stream (it has only audio (aac))."));
    }

    [Test]
    public async Task ReadKeyframeTimesAsync_ListsTheIFrames_InOrder()
    {
        // The main clip is encoded with a keyframe every 25 frames at 25 fps.
        var times = await _ffprobe.ReadKeyframeTimesAsync(MediaInput.FromFile(Clips.Get.Main), CancellationToken.None);

        Assert.That(times.Select(t => t.TotalSeconds), Is.EqualTo(new[] { 0.0, 1.0, 2.0, 3.0 }).Within(0.001));
    }

    [Test]
    public async Task ReadKeyframeTimesAsync_FindsNone_WithoutVideo() =>
        Assert.That(await _ffprobe.ReadKeyframeTimesAsync(MediaInput.FromFile(Clips.Get.AudioOnly), CancellationToken.None), Is.Empty);

    [Test]
    public void ProbeAsync_CondensesTheReason_ForATruncatedMp4()
    {
        var ex = Assert.ThrowsAsync<FfmpegException>(() => _ffprobe.ProbeAsync(MediaInput.FromFile(Clips.Get.Truncated), CancellationToken.None));

        Assert.That(ex!.Message, Is.EqualTo("moov atom not found: the MP4 is truncated or incomplete"));
    }

    [Test]
    public void ProbeAsync_NamesTheFile_WhenItDoesNotExist()
    {
        var missing = Path.Combine(Clips.Get.Directory, "missing.mp4");

        var ex = Assert.ThrowsAsync<FfmpegException>(() => _ffprobe.ProbeAsync(MediaInput.FromFile(missing), CancellationToken.None));

        Assert.That(ex!.Message, Is.EqualTo($"{missing}: No such file or directory"));
    }
}
