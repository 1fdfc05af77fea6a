using MediaWorker.Plugins.Speech.Transcripts;
using Whisper.net;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>
/// Runs one transcription on the shared model: a <see cref="WhisperProcessor"/> of its own, the
/// input in windows of at most 30 s (<see cref="AudioWindowPlan"/>), joined by
/// <see cref="WindowStitcher"/>.
/// </summary>
/// <remarks>
/// Cancellation reaches whisper.cpp three ways: Whisper.net's encoder-begin check and abort
/// callback (between encoder passes and decoder steps), and <see cref="ComputeAbort"/>, armed
/// from the encoder-begin handler, which stops the graph being computed after its current node,
/// so a cancel does not wait for the rest of the window's encoder pass. Whisper.net's enumerator
/// stops at the cancel at once while the native call may still be returning: the processor's
/// <see cref="WhisperProcessor.DisposeAsync"/> waits for it, and it is awaited before the
/// cancellation leaves this method.
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
    /// <param name="cancellationToken">Stops whisper.cpp after the graph node it is computing (at the end of the encoder pass when <see cref="ComputeAbort.IsInstalled"/> is false).</param>
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
                // whisper.cpp calls this on the thread that will compute the encoder graph.
                ComputeAbort.Arm(cancellationToken);
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
            // One language for the whole input, detected on the first window, so the windows cannot disagree.
            var first = windows[0];
            var detected = await DetectLanguageAsync(processor, samples.AsMemory(first.StartSample, first.Length), cancellationToken);
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

    /// <summary>One encoder pass and one decoder step on a thread of its own (the native call blocks).</summary>
    private static async Task<string?> DetectLanguageAsync(WhisperProcessor processor, ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        try
        {
            var detected = await Task.Factory.StartNew(
                () =>
                {
                    ComputeAbort.Arm(cancellationToken);
                    return processor.DetectLanguageWithProbability(samples.Span).language;
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
            return detected;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // An aborted pass makes whisper_lang_auto_detect return an error code, which Whisper.net
            // 1.9.1 uses as an array index (IndexOutOfRangeException): it is the cancel, not a fault.
            throw new OperationCanceledException("The transcription was cancelled during language detection.", ex, cancellationToken);
        }
    }

    private static WindowSegment ToWindowSegment(SegmentData segment, double offset) => new(
        offset + segment.Start.TotalSeconds,
        offset + segment.End.TotalSeconds,
        segment.Text,
        segment.NoSpeechProbability,
        segment.Tokens.Select(t => new WindowToken(t.Id, t.Text ?? string.Empty, t.Probability, offset + (t.Start / CentisecondsPerSecond), offset + (t.End / CentisecondsPerSecond))).ToList());
}
