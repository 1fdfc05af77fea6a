using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Tasks;
using MediaWorker.Plugins.Video.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Tasks;

public sealed class AudioExtractHandlerTests
{
    private readonly AudioExtractHandler _handler = new(VideoJobs.Services());

    [Test]
    public async Task Wav_IsTheDefault_16kHzMonoPcm_ReadyForSpeechRecognition()
    {
        var (output, context) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Main });

        var path = output["path"]!.GetValue<string>();
        Assert.That(path, Is.EqualTo(Path.Combine(context.Files.OutputDirectory, "main.wav")));
        var written = await VideoJobs.ProbeAsync(path);
        Assert.That(written.PrimaryAudio!.CodecName, Is.EqualTo("pcm_s16le"));
        Assert.That(written.PrimaryAudio.SampleRate, Is.EqualTo(16000));
        Assert.That(written.PrimaryAudio.Channels, Is.EqualTo(1));
        Assert.That(written.Duration!.Value.TotalSeconds, Is.EqualTo(4.0).Within(0.05));
        Assert.That(output["files"]!.AsArray().Select(f => f!.GetValue<string>()), Is.EqualTo(new[] { path }));
        Assert.That(context.ReportedProgress[^1], Is.EqualTo(100));
    }

    [TestCase("flac", ".flac", "flac")]
    [TestCase("mp3", ".mp3", "mp3")]
    [TestCase("aac", ".m4a", "aac")]
    public async Task OtherFormats_CutToTheRange(string format, string extension, string codec)
    {
        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["format"] = format,
            ["start"] = 1,
            ["end"] = 2.5,
        });

        var path = output["path"]!.GetValue<string>();
        Assert.That(Path.GetExtension(path), Is.EqualTo(extension));
        var written = await VideoJobs.ProbeAsync(path);
        Assert.That(written.PrimaryAudio!.CodecName, Is.EqualTo(codec));
        Assert.That(written.PrimaryAudio.SampleRate, Is.EqualTo(44100), "the source's rate unless sample_rate says otherwise");
        Assert.That(written.Duration!.Value.TotalSeconds, Is.EqualTo(1.5).Within(0.06));
    }

    [Test]
    public async Task RawAac_ReportsTheDurationOfTheWrittenFile_NotTheBitRateEstimate()
    {
        // Loud noise, then silence: an ADTS file has no duration field, and ffprobe's estimate from
        // the opening bit rate makes this 20 s file about 4 s long.
        var folder = Path.Combine(VideoTestSetUp.Root, "adts");
        Directory.CreateDirectory(folder);
        var source = Path.Combine(folder, "noise-then-silence.m4a");
        await new FfmpegRunner(FfmpegToolPaths.Default).RunAsync(
            [
                "-f", "lavfi", "-i", "anoisesrc=d=3:a=0.8:r=44100", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono",
                "-filter_complex", "[1]atrim=duration=17[s];[0][s]concat=n=2:v=0:a=1", "-c:a", "aac", source,
            ],
            null,
            CancellationToken.None);

        var (output, _) = await VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = source,
            ["format"] = "aac",
            ["output_path"] = Path.Combine(folder, "out.aac"),
        });

        Assert.That(output["duration"]!.GetValue<double>(), Is.EqualTo(20.0).Within(0.1));
        Assert.That(output["end"]!.GetValue<double>(), Is.EqualTo(20.0).Within(0.1));
    }

    [Test]
    public async Task OutputPath_IsHonoured_AndNothingIsLeftInScratch()
    {
        var target = Path.Combine(VideoTestSetUp.Root, "audio", "speech.wav");

        var (output, context) = await VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.AudioOnly, ["output_path"] = target });

        Assert.That(output["path"]!.GetValue<string>(), Is.EqualTo(target));
        Assert.That(File.Exists(target), Is.True);
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(target)!), Is.EqualTo(new[] { target }), "no staging file left beside it");
    }

    [Test]
    public void StartBeyondTheEnd_IsRefused()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Main, ["start"] = 9 }));

        Assert.That(ex!.Message, Does.StartWith("Parameter 'start' (9 s) is at or beyond the end of the input, which lasts 4"));
    }

    [TestCase(2, 2)]
    [TestCase(3, 1)]
    public void AnEmptyOrReversedRange_IsRefused(double start, double end)
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Main, ["start"] = start, ["end"] = end }));

        Assert.That(ex!.Message, Does.StartWith($"Parameter 'end' ({end} s) must be after 'start' ({start} s)"));
    }

    [Test]
    public void VideoWithoutAudio_IsRefused()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.VideoOnly }));

        Assert.That(ex!.Message, Is.EqualTo($"'{VideoTestSetUp.Clips.VideoOnly}' has no audio stream (it has only video (h264))."));
    }

    [Test]
    public void Bitrate_ForALosslessFormat_IsRefused()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject { ["input_path"] = VideoTestSetUp.Clips.Main, ["bitrate"] = "128k" }));

        Assert.That(ex!.Message, Is.EqualTo("Parameter 'bitrate' applies only to mp3 and aac (wav is lossless)."));
    }

    [Test]
    public void AnOutputPathWithTheWrongExtension_IsRefused()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(_handler, new JsonObject
        {
            ["input_path"] = VideoTestSetUp.Clips.Main,
            ["format"] = "flac",
            ["output_path"] = "out/a.mp3",
        }));

        Assert.That(ex!.Message, Is.EqualTo("Parameter 'output_path' must end with .flac for format flac (got 'a.mp3')."));
    }
}
