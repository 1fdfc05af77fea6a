using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Speech.Tests.Support;
using MediaWorker.Plugins.Speech.Transcripts;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Tasks;

/// <summary>
/// transcribe end to end in-process: the real sandbox, real ffmpeg, whisper.cpp through Whisper.net and
/// whisper.cpp's test model. That model has no weights, so whisper.cpp runs the whole pipeline
/// and emits no segments: these tests check the job's path and its outputs' form, not recognition.
/// </summary>
public sealed class TranscribeHandlerTests
{
    private TempDirectory _root = null!;
    private ITaskHandler _handler = null!;

    [OneTimeSetUp]
    public void CreateHandler() => _handler = SpeechHandlers.For("transcribe");

    [SetUp]
    public void CreateRoot() => _root = new TempDirectory("speech-transcribe");

    [TearDown]
    public void DeleteRoot() => _root.Dispose();

    [Test]
    public async Task Jfk_CompletesWithWellFormedOutput_AndWritesJsonSrtAndVtt()
    {
        var input = _root.Combine("jfk.wav");
        File.Copy(SpeechAssets.SentenceWav, input);
        var job = new TestJobContext(_root.Path, "transcribe", new JsonObject { ["input_path"] = input });

        var output = await TestJobContext.RunAsync(_handler, job);

        Assert.Multiple(() =>
        {
            Assert.That(output.Select(p => p.Key), Is.EqualTo(new[] { "language", "duration", "text", "segments", "transcript_path", "srt_path", "vtt_path" }));
            Assert.That((string?)output["language"], Is.EqualTo("en"));
            Assert.That((double)output["duration"]!, Is.EqualTo(SpeechAssets.SentenceSeconds).Within(0.01));
            Assert.That((string?)output["text"], Is.Empty);
            Assert.That(output["segments"]!.AsArray(), Is.Empty, "the test model has no weights, so whisper.cpp emits no segments");
            Assert.That(job.ReportedProgress[^1], Is.EqualTo(100));
            Assert.That(job.ReportedProgress, Is.Ordered);
        });
        var jsonPath = (string)output["transcript_path"]!;
        Assert.That(Path.GetDirectoryName(jsonPath), Is.EqualTo(job.Files.OutputDirectory.TrimEnd('/')));
        var written = await TranscriptJson.ReadAsync(jsonPath, jsonPath, "transcript_path", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(written.Duration, Is.EqualTo(SpeechAssets.SentenceSeconds).Within(0.01));
            Assert.That(written.Segments, Is.Empty);
            Assert.That(JsonNode.Parse(File.ReadAllText(jsonPath))!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "language", "duration", "text", "segments" }));
            Assert.That(File.ReadAllText((string)output["srt_path"]!), Is.Empty);
            Assert.That(File.ReadAllText((string)output["vtt_path"]!), Is.EqualTo("WEBVTT\n\n"));
            Assert.That(Directory.GetFiles(job.Files.OutputDirectory).Select(Path.GetFileName), Is.EquivalentTo(new[] { "transcript.json", "transcript.srt", "transcript.vtt" }));
        });
    }

    [Test]
    public async Task VideoWithAnAudioTrack_IsDecodedByFfmpegAndTranscribed_ThroughARelativePath()
    {
        Directory.CreateDirectory(_root.Combine("compute", "in"));
        MediaFiles.Video(_root.Combine("compute", "in", "clip.mp4"), 2, withAudio: true);
        var job = new TestJobContext(_root.Path, "transcribe", new JsonObject { ["input_path"] = "in/clip.mp4", ["word_timestamps"] = false });

        var output = await TestJobContext.RunAsync(_handler, job);

        Assert.That((double)output["duration"]!, Is.EqualTo(2.0).Within(0.05));
    }

    [Test]
    public async Task AudioShorterThanOneSecond_IsPadded_AndStillTranscribed()
    {
        var input = MediaFiles.Tone(_root.Combine("beep.wav"), 0.4);
        var job = new TestJobContext(_root.Path, "transcribe", new JsonObject { ["input_path"] = input });

        // whisper.cpp skips input of a second or less; the transcriber refuses a skipped run, so completing proves the padding.
        var output = await TestJobContext.RunAsync(_handler, job);

        Assert.That((double)output["duration"]!, Is.EqualTo(0.4).Within(0.001), "the real duration, not the padded one");
    }

    [Test]
    public void NonAudioInput_FailsPermanently_WithFfmpegsReason()
    {
        var input = _root.Combine("notes.wav");
        File.WriteAllText(input, "these are meeting notes, not audio");

        var error = Run(new JsonObject { ["input_path"] = input });

        Assert.That(error.Message, Does.StartWith($"input_path '{input}' cannot be transcribed: "));
    }

    [Test]
    public void VideoWithoutAudio_FailsPermanently_SayingWhatItHas()
    {
        var input = MediaFiles.Video(_root.Combine("silent-film.mp4"), 1, withAudio: false);

        var error = Run(new JsonObject { ["input_path"] = input });

        Assert.That(error.Message, Does.Contain("has no audio stream").And.Contain("video (h264)"));
    }

    [Test]
    public void SilentFile_FailsPermanently()
    {
        var input = _root.Combine("silence.wav");
        WavFile.Write(input, new float[16_000 * 2]);

        var error = Run(new JsonObject { ["input_path"] = input });

        Assert.That(error.Message, Does.Contain("contains only silence").And.Contain("digital silence over 2 s"));
    }

    [TestCase("/etc/hostname")]
    [TestCase("../../etc/hostname")]
    public void PathOutsideTheSandbox_FailsPermanently_NamingTheRule(string path)
    {
        var error = Run(new JsonObject { ["input_path"] = path });

        Assert.That(error.Message, Does.Contain("input_path").And.Contain(path));
    }

    [TestCase("de", false, "language 'de'")]
    [TestCase("auto", true, "translate")]
    public void OtherLanguagesOnAnEnglishOnlyModel_FailPermanently(string language, bool translate, string named)
    {
        File.Copy(SpeechAssets.SentenceWav, _root.Combine("jfk.wav"));

        var error = Run(new JsonObject { ["input_path"] = _root.Combine("jfk.wav"), ["language"] = language, ["translate"] = translate });

        Assert.That(error.Message, Does.Contain("is English-only").And.Contain(named).And.Contain("WHISPER_MODEL"));
    }

    [Test]
    public void MaxSegmentLength_WithoutWordTimestamps_FailsPermanently()
    {
        var error = Run(new JsonObject { ["input_path"] = "x.wav", ["word_timestamps"] = false, ["max_segment_length"] = 40 });

        Assert.That(error.Message, Does.Contain("'max_segment_length' needs word_timestamps"));
    }

    private PermanentJobException Run(JsonObject parameters, ITaskHandler? handler = null)
    {
        var job = new TestJobContext(_root.Path, "transcribe", parameters);
        return Assert.ThrowsAsync<PermanentJobException>(() => TestJobContext.RunAsync(handler ?? _handler, job))!;
    }
}
