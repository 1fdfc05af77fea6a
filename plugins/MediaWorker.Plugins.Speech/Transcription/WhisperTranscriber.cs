using System.Text;
using MediaWorker.Plugins.Speech.Native;
using MediaWorker.Plugins.Speech.Transcripts;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>Runs one transcription: whisper_full on a state of its own, on a thread of its own.</summary>
internal static unsafe class WhisperTranscriber
{
    /// <summary>
    /// Transcribes 16 kHz mono samples. whisper_full blocks for seconds to hours, so it runs on a
    /// dedicated thread rather than a pool thread; cancellation reaches it through the abort
    /// callback, and the task completes only after the native call has returned, so the state and
    /// the callbacks' user data are never freed under it.
    /// </summary>
    /// <param name="model">The shared model.</param>
    /// <param name="samples">The audio, at least <see cref="Audio.AudioSamples.MinimumSamples"/> long.</param>
    /// <param name="duration">The real duration in seconds (without padding).</param>
    /// <param name="options">What to do.</param>
    /// <param name="progress">Receives whisper's 0-100 progress.</param>
    /// <param name="cancellationToken">Stops whisper.cpp within milliseconds.</param>
    /// <exception cref="OperationCanceledException">The token fired.</exception>
    /// <exception cref="WhisperException">whisper_full failed.</exception>
    public static Task<Transcript> TranscribeAsync(
        WhisperModel model, float[] samples, double duration, TranscriptionOptions options, IProgress<int> progress, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            () => Transcribe(model, samples, duration, options, progress, cancellationToken),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private static Transcript Transcribe(
        WhisperModel model, float[] samples, double duration, TranscriptionOptions options, IProgress<int> progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var state = model.CreateState();
        using var run = new WhisperRun(progress, WhisperLibrary.WindowNoSpeechExport, cancellationToken);

        var parameters = WhisperParams.FullDefaults(whisper_sampling_strategy.WHISPER_SAMPLING_GREEDY);
        parameters.n_threads = options.Threads;
        parameters.print_progress = false;
        parameters.print_realtime = false;
        parameters.print_timestamps = false;
        parameters.translate = options.Translate;
        parameters.no_context = true;
        parameters.token_timestamps = options.WordTimestamps;
        parameters.split_on_word = options.WordTimestamps;
        parameters.max_len = options.MaxSegmentLength ?? 0;
        run.Attach(ref parameters);

        var language = NullTerminated(options.Language);
        var prompt = options.InitialPrompt is null ? null : NullTerminated(options.InitialPrompt);
        fixed (byte* languagePointer = language)
        fixed (byte* promptPointer = prompt)
        fixed (float* samplesPointer = samples)
        {
            parameters.language = languagePointer;
            parameters.initial_prompt = promptPointer;
            try
            {
                WhisperCalls.Full(model.Context, state, parameters, samplesPointer, samples.Length);
            }
            catch (WhisperException) when (run.Aborted)
            {
                // An abort makes the encoder or decoder report failure: that is the cancellation.
            }
        }

        if (run.Aborted)
        {
            // whisper_full returns 0 with partial results when it stopped between windows.
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (run.EncodedWindows == 0)
        {
            // whisper_full "succeeds" without looking at input of at most a second: never report that as a transcript.
            throw new WhisperException($"whisper.cpp skipped the input ({samples.Length} samples) without encoding it; audio must be longer than one second (pad it).");
        }

        return SegmentReader.Read(model, state, run.SegmentNoSpeech, duration, options.WordTimestamps);
    }

    private static byte[] NullTerminated(string value) => Encoding.UTF8.GetBytes(value + "\0");
}
