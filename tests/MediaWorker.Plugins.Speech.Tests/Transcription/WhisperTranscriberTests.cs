using System.Diagnostics;
using MediaWorker.Plugins.Speech.Audio;
using MediaWorker.Plugins.Speech.Tests.Support;
using MediaWorker.Plugins.Speech.Transcription;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Transcription;

/// <summary>
/// The transcriber on the real whisper.cpp (Whisper.net.Runtime) and whisper.cpp's test model, which
/// has the real format and vocabulary but no weights: every step runs, and no words come out.
/// </summary>
[NonParallelizable]
public sealed class WhisperTranscriberTests
{
    private static readonly TranscriptionOptions Defaults = new("en", Translate: false, InitialPrompt: null, WordTimestamps: true, MaxSegmentLength: null, Threads: 2);
    private WhisperModel _model = null!;

    [OneTimeSetUp]
    public void LoadModel() => _model = WhisperModel.Load(new ModelLocation(SpeechAssets.TestModel, "test model", null));

    [OneTimeTearDown]
    public void DisposeModel() => _model.Dispose();

    [Test]
    public void TestModel_LoadsThroughWhisperNet_AsTheEnglishOnlyTiny()
    {
        Assert.That((_model.Info.ModelType, _model.IsMultilingual), Is.EqualTo(("tiny", false)));
    }

    [Test]
    public async Task Speech_RunsToTheEnd_WithProgressTo100_AndTheWeightlessModelYieldsNoSegments()
    {
        var samples = WavFile.ReadSamples(SpeechAssets.SentenceWav);
        var progress = new List<int>();

        var transcript = await WhisperTranscriber.TranscribeAsync(_model, samples, AudioSamples.Seconds(samples.Length), Defaults, new SyncProgress(progress.Add), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(transcript.Language, Is.EqualTo("en"));
            Assert.That(transcript.Duration, Is.EqualTo(AudioSamples.Seconds(samples.Length)));
            Assert.That(transcript.Segments, Is.Empty);
            Assert.That(progress, Is.Ordered.And.Unique);
            Assert.That(progress[^1], Is.EqualTo(100));
        });
    }

    [Test]
    public async Task LongAudio_RunsWindowByWindow_WithOneProgressOverTheWholeFile()
    {
        var sentence = WavFile.ReadSamples(SpeechAssets.SentenceWav);
        var samples = Enumerable.Repeat(sentence, 7).SelectMany(s => s).ToArray(); // about 76 s: three windows
        var progress = new List<int>();

        var transcript = await WhisperTranscriber.TranscribeAsync(_model, samples, AudioSamples.Seconds(samples.Length), Defaults, new SyncProgress(progress.Add), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(AudioWindowPlan.For(samples), Has.Count.EqualTo(3));
            Assert.That(transcript.Duration, Is.EqualTo(AudioSamples.Seconds(samples.Length)));
            Assert.That(progress, Is.Ordered.And.Unique);
            Assert.That(progress, Has.Some.InRange(30, 70), "progress moves within the file, not only at its end");
            Assert.That(progress[^1], Is.EqualTo(100));
        });
    }

    [Test]
    public async Task TwoJobsAtOnce_EachGetsItsOwnProcessor_OnTheSharedModel()
    {
        var samples = WavFile.ReadSamples(SpeechAssets.SentenceWav)[..(16_000 * 3)];

        var both = await Task.WhenAll(
            WhisperTranscriber.TranscribeAsync(_model, samples, 3, Defaults, new SyncProgress(_ => { }), CancellationToken.None),
            WhisperTranscriber.TranscribeAsync(_model, samples, 3, Defaults, new SyncProgress(_ => { }), CancellationToken.None));

        Assert.That(both.Select(t => t.Duration), Is.EqualTo(new[] { 3.0, 3.0 }));
    }

    [Test]
    public void AudioUnder100Milliseconds_IsSkippedByWhisperCpp_WhichTheTranscriberRefusesToReportAsATranscript()
    {
        var blip = WavFile.ReadSamples(SpeechAssets.SentenceWav)[..800];

        var error = Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await WhisperTranscriber.TranscribeAsync(_model, blip, 0.05, Defaults, new SyncProgress(_ => { }), CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("skipped"));
    }

    [Test]
    public async Task AudioOfASecondOrLess_PaddedToTheMinimum_IsEncoded()
    {
        var second = WavFile.ReadSamples(SpeechAssets.SentenceWav)[..16_000];

        var transcript = await WhisperTranscriber.TranscribeAsync(_model, AudioSamples.PadToMinimum(second), 1.0, Defaults, new SyncProgress(_ => { }), CancellationToken.None);

        Assert.That(transcript.Duration, Is.EqualTo(1.0), "the real duration, not the padded one");
    }

    [Test]
    public void TheComputeAbort_IsInstalledOnWhisperNetsRuntime()
    {
        Assert.That((ComputeAbort.IsInstalled, ComputeAbort.Problem), Is.EqualTo((true, (string?)null)));
    }

    [Test]
    public async Task ACancelDuringTheEncoderPass_StopsWhisperWithinItsWindow_AndTheModelGoesOnWorking()
    {
        // One window of 29 s: whisper.cpp runs one encoder pass over it, most of the window's time
        // (the weights-less model's decoder stops after a few steps).
        var sentence = WavFile.ReadSamples(SpeechAssets.SentenceWav);
        var samples = Enumerable.Repeat(sentence, 3).SelectMany(s => s).Take(16_000 * 29).ToArray();
        var watch = Stopwatch.StartNew();
        await WhisperTranscriber.TranscribeAsync(_model, samples, 29, Defaults, new SyncProgress(_ => { }), CancellationToken.None);
        var window = watch.Elapsed;

        using var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var run = WhisperTranscriber.TranscribeAsync(_model, samples, 29, Defaults, new SyncProgress(_ => started.TrySetResult()), cancel.Token);
        await started.Task;
        await Task.Delay(window / 3); // past the state's set-up, inside the encoder pass
        watch.Restart();
        await cancel.CancelAsync();
        var error = Assert.CatchAsync<OperationCanceledException>(async () => await run);
        var latency = watch.Elapsed;
        TestContext.Progress.WriteLine($"one window {window.TotalMilliseconds:0} ms; cancelled a third into it, whisper returned after {latency.TotalMilliseconds:0} ms");

        var after = await WhisperTranscriber.TranscribeAsync(_model, sentence, AudioSamples.Seconds(sentence.Length), Defaults, new SyncProgress(_ => { }), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Not.Null);
            // Waiting for the pass to end would take about two thirds of the window; ggml stops after the node it is on.
            Assert.That(latency, Is.LessThan(window / 4), "whisper.cpp stopped inside the encoder pass");
            Assert.That(after.Duration, Is.EqualTo(AudioSamples.Seconds(sentence.Length)), "the shared model still transcribes after an aborted pass");
        });
    }

    [Test]
    public async Task ACancelDuringLanguageDetection_EndsAsACancel_NotAFailure()
    {
        var samples = WavFile.ReadSamples(SpeechAssets.SentenceWav);
        using var cancel = new CancellationTokenSource();
        var auto = Defaults with { Language = TranscriptionOptions.AutoLanguage };

        var run = WhisperTranscriber.TranscribeAsync(_model, samples, AudioSamples.Seconds(samples.Length), auto, new SyncProgress(_ => { }), cancel.Token);
        await Task.Delay(300);
        await cancel.CancelAsync();

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void AnAlreadyCancelledJob_DoesNotStart()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.That(
            async () => await WhisperTranscriber.TranscribeAsync(_model, new float[16_000 * 5], 5, Defaults, new SyncProgress(_ => { }), cancel.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }
}
