namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>
/// Turns whisper.cpp's per-call progress into one 0-100 over the whole input: each window's share is
/// its length, the value only ever grows, and whatever whisper reports is clamped first (Whisper.net
/// has been seen passing 272).
/// </summary>
internal sealed class TranscriptionProgress(IProgress<int> target, IReadOnlyList<AudioWindow> windows)
{
    private readonly Lock _gate = new();
    private readonly double _total = Math.Max(1, windows[^1].EndSample);
    private AudioWindow _current = windows[0];
    private int _reported = -1;

    /// <summary>The window whisper works on now.</summary>
    public void Begin(AudioWindow window)
    {
        lock (_gate)
        {
            _current = window;
        }

        Report(0);
    }

    /// <summary>whisper's progress within the current window (any value; clamped).</summary>
    public void Report(int windowPercent)
    {
        // Reported under the lock: whisper's callback thread and the job's thread must not cross.
        lock (_gate)
        {
            var within = Math.Clamp(windowPercent, 0, 100) / 100.0;
            var position = _current.StartSample + (within * _current.Length);
            var overall = Math.Clamp((int)(position * 100 / _total), 0, 100);
            if (overall > _reported)
            {
                _reported = overall;
                target.Report(overall);
            }
        }
    }
}
