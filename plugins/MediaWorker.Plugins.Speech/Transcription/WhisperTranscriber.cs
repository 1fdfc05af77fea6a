using MediaWorker.Plugins.Speech.Transcripts;
using Whisper.net;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>
/// Runs one transcription on the shared model: a <see cref="WhisperProcessor"/> of its own, the
/// input in windows of at most 30 s (<see cref="AudioWindowPlan"/>), joined by
/// <see cref="WindowStitcher"/>.
/// </summary>
/// <remarks>
/// Cancellation reaches whisper.cpp through Whisper.net's abort callback and its encoder-begin
/// check; whisper.cpp computes its log-mel spectrogram per call, and a call is one window, so a
/// cancel waits at most for the window in progress (whisper.cpp 1.8 as Whisper.net.Runtime builds
/// it was not seen to stop mid-window). Whisper.net's enumerator stops at the cancel at once while
/// the native call may still be running: the processor's <see cref="WhisperProcessor.DisposeAsync"/>
/// waits for it, and it is awaited before the cancellation leaves this method.
/// </remarks>
internal static class WhisperTranscriber
{
    private const double CentisecondsPerSecond = 100.0;
    private const string UndeterminedLanguage = "und"; // ISO 639-2 for "could not tell"

    /// <summary>Transcribes 16 kHz mono samples.</summary>
    /// <param name="model">The shared model.</param>
    /// <param name="samples">The audio, at least <see cref="Audio.AudioSamples.MinimumSamples"/> long.</param>
    /// <param name="duration">The real duration in seconds (without padding).</param>
    /// <param name="options">What to do.</param>
    /// <param name="progress">Receives 0-100 over the whole input, never decreasing.</param>
    /// <param name="cancellationToken">Stops whisper.cpp, at the latest when the current window ends.</param>
    /// <exception cref="OperationCanceledException">The token fired; the native call has returned.</exception>
    /// <exception cref="WhisperProcessingException">whisper_full failed.</exception>
    /// <exception cref="InvalidOperationException">whisper.cpp skipped a window without encoding it.</exception>
    public static async Task<Transcript> TranscribeAsync(
        WhisperModel model, float[] samples, double duration, TranscriptionOptions options, IProgress<int> progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var windows = AudioWindowPlan.For(samples);
        var tracker = new TranscriptionProgress(progress, windows);
        var encoded = 0;
        var builder = model.Factory.CreateBuilder()
            .WithThreads(options.Threads)
            .WithNoContext()
            .WithTokenTimestamps() // always: windows are stitched word by word
            .WithProgressHandler(tracker.Report)
            .WithEncoderBeginHandler(_ =>
            {
                Interlocked.Increment(ref encoded);
                return true;
            });
        builder = options.Language == TranscriptionOptions.AutoLanguage ? builder.WithLanguageDetection() : builder.WithLanguage(options.Language);
        if (options.Translate)
        {
            builder = builder.WithTranslate();
        }

        if (options.InitialPrompt is { } prompt)
        {
            builder = builder.WithPrompt(prompt);
        }

        if (options.MaxSegmentLength is { } maxLength)
        {
            builder = builder.WithMaxSegmentLength(maxLength).SplitOnWord();
        }

        await using var processor = builder.Build();
        var language = options.Language;
        if (language == TranscriptionOptions.AutoLanguage)
        {
            // One language for the whole input, detected on the first window (one encoder pass,
            // which whisper.cpp cannot interrupt), so the windows cannot disagree.
            var first = windows[0];
            var detected = await Task.Factory.StartNew(
                () => processor.DetectLanguageWithProbability(samples.AsSpan(first.StartSample, first.Length)).language,
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
            language = detected ?? UndeterminedLanguage;
            if (detected is not null)
            {
                processor.ChangeLanguage(detected);
            }
        }

        var results = new List<WindowResult>(windows.Count);
        foreach (var window in windows)
        {
            tracker.Begin(window);
            var encodedBefore = Volatile.Read(ref encoded);
            var segments = new List<WindowSegment>();
            await foreach (var segment in processor.ProcessAsync(samples.AsMemory(window.StartSample, window.Length), cancellationToken))
            {
                segments.Add(ToWindowSegment(segment, window.OffsetSeconds));
            }

            if (Volatile.Read(ref encoded) == encodedBefore)
            {
                // whisper_full "succeeds" without looking at input under 100 ms: never report that as a transcript.
                throw new InvalidOperationException($"whisper.cpp skipped {window.Length} samples without encoding them; pad short audio (AudioSamples.PadToMinimum).");
            }

            results.Add(new WindowResult(window, segments));
        }

        tracker.Report(100);
        return WindowStitcher.Stitch(results, model.Info.EndOfTextToken, language, duration, options.WordTimestamps);
    }

    private static WindowSegment ToWindowSegment(SegmentData segment, double offset) => new(
        offset + segment.Start.TotalSeconds,
        offset + segment.End.TotalSeconds,
        segment.Text,
        segment.NoSpeechProbability,
        segment.Tokens.Select(t => new WindowToken(t.Id, t.Text ?? string.Empty, t.Probability, offset + (t.Start / CentisecondsPerSecond), offset + (t.End / CentisecondsPerSecond))).ToList());
}
