using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Tests.Support;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Tasks;
using MediaWorker.Plugins.Video.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Tasks;

public sealed class TranscodeHandlerTests
{
    private readonly TranscodeHandler _handler = new(VideoJobs.Services());

    [Test]
    public async Task Mp4_H264_ScaledDown_ReportsIncreasingProgressTo100()
    {
        var (output, context) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["max_width"] = 160,
            ["preset"] = "ultrafast",
            ["crf"] = 30,
        });

        var path = output["path"]!.GetValue<string>();
        Assert.That(path, Is.EqualTo(Path.Combine(context.Files.OutputDirectory, "main.mp4")));
        var written = await VideoJobs.ProbeAsync(path);
        Assert.That(written.PrimaryVideo!.CodecName, Is.EqualTo("h264"));
        Assert.That((written.PrimaryVideo.Width, written.PrimaryVideo.Height), Is.EqualTo((160, 120)));
        Assert.That(written.PrimaryAudio!.CodecName, Is.EqualTo("aac"));
        Assert.That(output["width"]!.GetValue<int>(), Is.EqualTo(160));
        Assert.That(output["duration"]!.GetValue<double>(), Is.EqualTo(4.0).Within(0.1));
        Assert.That(output["files"]!.AsArray().Select(f => f!.GetValue<string>()), Is.EqualTo(new[] { path }));
        Assert.That(context.ReportedProgress, Is.Ordered.Ascending.And.Unique);
        Assert.That(context.ReportedProgress[^1], Is.EqualTo(100));
        Assert.That(context.ReportedProgress.Count, Is.GreaterThan(1));
    }

    [Test]
    public async Task Webm_DefaultsToVp9AndOpus()
    {
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.VideoOnly,
            ["container"] = "webm",
            ["preset"] = "ultrafast",
            ["max_height"] = 120,
        });

        Assert.That(output["video_codec"]!.GetValue<string>(), Is.EqualTo("vp9"));
        Assert.That(output["height"]!.GetValue<int>(), Is.EqualTo(120));
        Assert.That(output["path"]!.GetValue<string>(), Does.EndWith(".webm"));
    }

    [Test]
    public async Task Copy_IntoMkv_KeepsTheStreams()
    {
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["container"] = "mkv",
            ["video_codec"] = "copy",
            ["audio_codec"] = "copy",
        });

        Assert.That(output["video_codec"]!.GetValue<string>(), Is.EqualTo("h264"));
        Assert.That(output["audio_codec"]!.GetValue<string>(), Is.EqualTo("aac"));
        Assert.That((await VideoJobs.ProbeAsync(output["path"]!.GetValue<string>())).FormatName, Does.Contain("matroska"));
    }

    [Test]
    public async Task Rotated_Input_IsWrittenUpright()
    {
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Rotated, ["preset"] = "ultrafast" });

        var written = (await VideoJobs.ProbeAsync(output["path"]!.GetValue<string>())).PrimaryVideo!;
        Assert.That((written.DisplayWidth, written.DisplayHeight), Is.EqualTo((240, 320)));
    }

    [Test]
    public void Cancellation_MidTranscode_KillsFfmpeg_AndClaimsNoOutput()
    {
        using var cts = new CancellationTokenSource();
        var context = VideoJobs.Context("transcode", new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["container"] = "webm",
            ["preset"] = "veryslow",
            ["crf"] = 10,
        });
        var destination = Path.Combine(context.Files.OutputDirectory, "main.webm");
        var scratch = context.Files.ScratchDirectory;

        // Cancel as soon as ffmpeg reports that it is under way.
        var observer = Task.Run(async () =>
        {
            while (!context.ReportedProgress.Any(p => p is > 0 and < 100))
            {
                await Task.Delay(10);
            }

            await cts.CancelAsync();
        });

        Assert.CatchAsync<OperationCanceledException>(() => MediaWorker.Testing.TestJobContext.RunAsync(_handler, context, cts.Token));

        Assert.That(observer.IsCompletedSuccessfully, Is.True);
        Assert.That(ChildProcesses.OfCurrentProcess().Where(p => p.Command is "ffmpeg" or "ffprobe"), Is.Empty, "no ffmpeg outlives the job");
        Assert.That(File.Exists(destination), Is.False, "nothing is claimed at the output path");
        Assert.That(Directory.Exists(scratch), Is.False, "the partial file went with the scratch folder");
    }

    [Test]
    public void AnUnknownCodecName_IsRefused()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Main, ["video_codec"] = "h265x" }));

        Assert.That(ex!.Message, Is.EqualTo("Parameter 'video_codec' must be one of h264, vp9, copy (got 'h265x')."));
    }

    [Test]
    public void Copy_WithScaling_IsRefused()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["video_codec"] = "copy",
            ["max_width"] = 100,
        }));

        Assert.That(ex!.Message, Does.StartWith("video_codec 'copy' keeps the video as it is, so max_width cannot apply"));
    }

    [Test]
    public void H264_InWebm_IsRefused()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["container"] = "webm",
            ["video_codec"] = "h264",
        }));

        Assert.That(ex!.Message, Is.EqualTo("A webm file holds VP8, VP9 or AV1 video, not h264; use video_codec vp9 or another container."));
    }

    [Test]
    public void CrfAndBitrate_Together_AreRefused() =>
        Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["crf"] = 20,
            ["video_bitrate"] = "1M",
        }));

    [Test]
    public void AudioOnlyInput_IsRefused()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.AudioOnly }));

        Assert.That(ex!.Message, Does.Contain("has no video stream"));
    }

    [Test]
    public void ATruncatedMp4_FailsPermanently_WithFfmpegsReason()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Truncated }));

        Assert.That(ex!.Message, Does.EndWith("moov atom not found: the MP4 is truncated or incomplete"));
    }
}
