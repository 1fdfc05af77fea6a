using System.Runtime.InteropServices;
using MediaWorker.Plugins.Speech.Native;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>
/// The managed side of one <c>whisper_full_with_state</c> call: the callbacks whisper.cpp makes
/// (progress, abort, new segments) and what they collect. A <see cref="GCHandle"/> to this object is
/// the callbacks' user data; it stays allocated until <see cref="Dispose"/>, which the caller runs
/// only after the native call has returned.
/// </summary>
internal sealed unsafe class WhisperRun : IDisposable
{
    private readonly IProgress<int> _progress;
    private readonly delegate* unmanaged<nint, float> _windowNoSpeech;
    private readonly List<double?> _segmentNoSpeech = [];
    private readonly CancellationTokenRegistration _registration;
    private GCHandle _self;
    private volatile bool _aborted;
    private int _encodedWindows;

    /// <param name="progress">Receives whisper's 0-100 progress (reported at the start of each 30-second window).</param>
    /// <param name="windowNoSpeechExport">
    /// <c>mediaworker_whisper_window_no_speech_prob</c> of the loaded library, or 0 when it lacks it.
    /// </param>
    /// <param name="cancellationToken">Aborts the native call through the abort and encoder-begin callbacks.</param>
    public WhisperRun(IProgress<int> progress, nint windowNoSpeechExport, CancellationToken cancellationToken)
    {
        _progress = progress;
        _windowNoSpeech = (delegate* unmanaged<nint, float>)windowNoSpeechExport;
        _self = GCHandle.Alloc(this);
        _registration = cancellationToken.Register(static run => ((WhisperRun)run!)._aborted = true, this);
    }

    /// <summary>True once cancellation asked whisper.cpp to stop; its results are then incomplete.</summary>
    public bool Aborted => _aborted;

    /// <summary>How many 30-second windows whisper.cpp started to encode.</summary>
    public int EncodedWindows => Volatile.Read(ref _encodedWindows);

    /// <summary>The no-speech probability of each segment, by segment index (null when unknown).</summary>
    public IReadOnlyList<double?> SegmentNoSpeech => _segmentNoSpeech;

    /// <summary>Points the parameter struct's callbacks at this run.</summary>
    public void Attach(ref whisper_full_params parameters)
    {
        var self = GCHandle.ToIntPtr(_self);
        parameters.progress_callback = &OnProgress;
        parameters.progress_callback_user_data = self;
        parameters.encoder_begin_callback = &OnEncoderBegin;
        parameters.encoder_begin_callback_user_data = self;
        parameters.abort_callback = &OnAbort;
        parameters.abort_callback_user_data = self;
        parameters.new_segment_callback = &OnNewSegments;
        parameters.new_segment_callback_user_data = self;
    }

    public void Dispose()
    {
        _registration.Dispose();
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    private static WhisperRun From(nint userData) => (WhisperRun)GCHandle.FromIntPtr(userData).Target!;

    // Nothing may escape these callbacks: an exception thrown into native code aborts the process.
    [UnmanagedCallersOnly]
    private static void OnProgress(nint context, nint state, int progress, nint userData)
    {
        try
        {
            From(userData)._progress.Report(Math.Clamp(progress, 0, 100));
        }
        catch (Exception)
        {
        }
    }

    /// <summary>Runs before each 30-second window; false makes whisper_full stop between windows.</summary>
    [UnmanagedCallersOnly]
    private static byte OnEncoderBegin(nint context, nint state, nint userData)
    {
        try
        {
            var run = From(userData);
            Interlocked.Increment(ref run._encodedWindows);
            return run._aborted ? (byte)0 : (byte)1;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    /// <summary>ggml polls this between graph nodes (on the calling thread), so a cancel lands within milliseconds.</summary>
    [UnmanagedCallersOnly]
    private static byte OnAbort(nint userData) => From(userData)._aborted ? (byte)1 : (byte)0;

    /// <summary>Runs right after a window's segments were added: the window's no-speech value belongs to them.</summary>
    [UnmanagedCallersOnly]
    private static void OnNewSegments(nint context, nint state, int newSegments, nint userData)
    {
        try
        {
            var run = From(userData);
            double? noSpeech = null;
            if (run._windowNoSpeech is not null)
            {
                var value = run._windowNoSpeech(state);
                noSpeech = float.IsFinite(value) ? value : null;
            }

            for (var i = 0; i < newSegments; i++)
            {
                run._segmentNoSpeech.Add(noSpeech);
            }
        }
        catch (Exception)
        {
        }
    }
}
