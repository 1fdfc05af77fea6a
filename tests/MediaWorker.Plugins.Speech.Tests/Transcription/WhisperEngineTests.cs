using System.Collections.Concurrent;
using System.Diagnostics;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Speech.Audio;
using MediaWorker.Plugins.Speech.Native;
using MediaWorker.Plugins.Speech.Tests.Support;
using MediaWorker.Plugins.Speech.Transcription;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Transcription;

/// <summary>
/// The engine against the real libwhisper.so and whisper.cpp's own test model
/// (for-tests-ggml-tiny.en.bin: the real file format, hyper-parameters and vocabulary, but no
/// tensor weights). whisper.cpp loads it, runs the whole pipeline (mel spectrogram, encoder,
/// decoder), and by design emits no segments for a model without weights: these tests prove the
/// binding works end to end, not that speech is recognised.
/// </summary>
[TestFixture]
public sealed class WhisperEngineTests
{
    private static readonly TranscriptionOptions Defaults = new("en", Translate: false, InitialPrompt: null, WordTimestamps: true, MaxSegmentLength: null, Threads: 2);

    private WhisperEngine _engine = null!;

    [OneTimeSetUp]
    public void CreateEngine()
    {
        var settings = SpeechSettings.Read(TestSettings.WithTestModel());
        _engine = new WhisperEngine(settings, AppContext.BaseDirectory, threadsPerJob: 2, new TestContextLogger("whisper"));
    }

    [OneTimeTearDown]
    public void DisposeEngine() => _engine.Dispose();

    [Test]
    public async Task TestModel_LoadsThroughWhisperInit_AndIsEnglishOnlyTiny()
    {
        var model = await _engine.GetModelAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(model.ModelType, Is.EqualTo("tiny"));
            Assert.That(model.IsMultilingual, Is.False);
            Assert.That(model.EndOfTextToken, Is.EqualTo(50256), "the English-only vocabulary's <|endoftext|>");
        });
    }

    [Test]
    public async Task Model_IsLoadedOncePerEngine()
    {
        var first = await _engine.GetModelAsync(CancellationToken.None);
        var second = await _engine.GetModelAsync(CancellationToken.None);

        Assert.That(second, Is.SameAs(first));
    }

    [Test]
    public async Task Jfk_RunsWhisperFullToTheEnd_AndTheWeightlessModelYieldsNoSegments()
    {
        var samples = WavFile.ReadSamples(WhisperBuild.JfkWav);
        var progress = new ConcurrentQueue<int>();

        var transcript = await _engine.TranscribeAsync(samples, AudioSamples.Seconds(samples.Length), Defaults, new Progress(progress.Enqueue), CancellationToken.None);

        Assert.Multiple(() =>
        {
            // No segments: whisper.cpp adds none when the model has no loaded tensors (n_loaded == 0).
            Assert.That(transcript.Segments, Is.Empty);
            Assert.That(transcript.Text, Is.Empty);
            Assert.That(transcript.Language, Is.EqualTo("en"));
            Assert.That(transcript.Duration, Is.EqualTo(11.0).Within(0.001));
            Assert.That(progress, Does.Contain(0), "whisper reports progress at the start of each window");
        });
    }

    [Test]
    public async Task TwoJobsAtOnce_EachGetsItsOwnState_OnTheSharedModel()
    {
        var samples = WavFile.ReadSamples(WhisperBuild.JfkWav)[..(16_000 * 3)];

        var runs = await Task.WhenAll(
            _engine.TranscribeAsync(samples, 3.0, Defaults with { Threads = 1 }, new Progress(_ => { }), CancellationToken.None),
            _engine.TranscribeAsync(samples, 3.0, Defaults with { Threads = 1 }, new Progress(_ => { }), CancellationToken.None));

        Assert.That(runs.Select(t => t.Duration), Is.All.EqualTo(3.0));
    }

    [Test]
    public async Task Cancellation_ReachesWhisperThroughTheAbortCallback_WithinASecond()
    {
        // Two minutes of audio keep whisper busy for several windows.
        var jfk = WavFile.ReadSamples(WhisperBuild.JfkWav);
        var samples = Enumerable.Repeat(jfk, 11).SelectMany(s => s).ToArray();
        using var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var progress = new Progress(_ => started.TrySetResult());

        var run = _engine.TranscribeAsync(samples, AudioSamples.Seconds(samples.Length), Defaults, progress, cancel.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(200);
        var watch = Stopwatch.StartNew();
        await cancel.CancelAsync();

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public void AudioOfASecondOrLess_IsSkippedByWhisperCpp_WhichTheTranscriberRefusesToReportAsATranscript()
    {
        var second = WavFile.ReadSamples(WhisperBuild.JfkWav)[..16_000];

        var error = Assert.ThrowsAsync<WhisperException>(async () =>
            await _engine.TranscribeAsync(second, 1.0, Defaults, new Progress(_ => { }), CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("skipped the input"));
    }

    [Test]
    public async Task AudioOfASecondOrLess_PaddedToTheMinimum_IsEncoded()
    {
        var second = WavFile.ReadSamples(WhisperBuild.JfkWav)[..16_000];

        var transcript = await _engine.TranscribeAsync(AudioSamples.PadToMinimum(second), 1.0, Defaults, new Progress(_ => { }), CancellationToken.None);

        Assert.That(transcript.Duration, Is.EqualTo(1.0), "the real duration, not the padded one");
    }

    [Test]
    public void MissingModel_FailsPermanently_NamingTheSetting()
    {
        using var engine = EngineFor("/nonexistent/ggml-base.en.bin");

        var error = Assert.ThrowsAsync<PermanentJobException>(async () => await engine.GetModelAsync(CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("WHISPER_MODEL_PATH").And.Contain("/nonexistent/ggml-base.en.bin").And.Contain("does not exist"));
    }

    [Test]
    public void FileThatIsNotAModel_FailsPermanently_BeforeWhisperReadsIt()
    {
        using var temp = new TempDirectory("speech-model");
        var path = temp.Combine("model.bin");
        File.WriteAllText(path, "this is a text file, not a model");
        using var engine = EngineFor(path);

        var error = Assert.ThrowsAsync<PermanentJobException>(async () => await engine.GetModelAsync(CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("WHISPER_MODEL_PATH").And.Contain("is not a ggml Whisper model"));
    }

    [Test]
    public void TruncatedModel_FailsPermanently_NamingTheInterruptedDownload()
    {
        // A cut-short download: whisper.cpp's loader would read garbage past the end (and either
        // throw from deep inside or load garbage); the file walk refuses it first.
        using var temp = new TempDirectory("speech-model");
        var path = temp.Combine("truncated.bin");
        var model = File.ReadAllBytes(WhisperBuild.TestModel);
        File.WriteAllBytes(path, model[..(model.Length - 1000)]);
        using var engine = EngineFor(path);

        var error = Assert.ThrowsAsync<PermanentJobException>(async () => await engine.GetModelAsync(CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("WHISPER_MODEL_PATH").And.Contain("is incomplete").And.Contain("sha256"));
    }

    [Test]
    public async Task CppExceptionInsideWhisperFull_BecomesAnError_AndTheProcessSurvives()
    {
        // A model whose vocabulary lacks the " " token: whisper_full looks it up with
        // std::map::at and throws std::out_of_range through its C API. Without the build's
        // exception guard that would abort this test process.
        using var temp = new TempDirectory("speech-model");
        var path = temp.Combine("no-space-token.bin");
        File.WriteAllBytes(path, TestModelWithoutSpaceToken());
        using var engine = EngineFor(path);
        await engine.GetModelAsync(CancellationToken.None);
        var samples = WavFile.ReadSamples(WhisperBuild.JfkWav)[..(16_000 * 2)];

        var error = Assert.ThrowsAsync<WhisperException>(async () =>
            await engine.TranscribeAsync(samples, 2.0, Defaults, new Progress(_ => { }), CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("whisper_full returned -100").And.Contain("C++ exception"));
    }

    /// <summary>The test model with its one-byte " " vocabulary entry changed to "\x7f".</summary>
    private static byte[] TestModelWithoutSpaceToken()
    {
        var bytes = File.ReadAllBytes(WhisperBuild.TestModel);
        var position = 4 * 12; // magic + 11 hyper-parameters
        var mels = BitConverter.ToInt32(bytes, position);
        var ffts = BitConverter.ToInt32(bytes, position + 4);
        position += 8 + (4 * mels * ffts);
        var vocabulary = BitConverter.ToInt32(bytes, position);
        position += 4;
        for (var i = 0; i < vocabulary; i++)
        {
            var length = BitConverter.ToInt32(bytes, position);
            if (length == 1 && bytes[position + 4] == (byte)' ')
            {
                bytes[position + 4] = 0x7f;
                return bytes;
            }

            position += 4 + length;
        }

        throw new InvalidDataException("The test model has no \" \" token.");
    }

    private static WhisperEngine EngineFor(string modelPath) =>
        new(SpeechSettings.Read(TestSettings.WithTestModel(modelPath)), AppContext.BaseDirectory, 1, new TestContextLogger("whisper"));

    private sealed class Progress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
