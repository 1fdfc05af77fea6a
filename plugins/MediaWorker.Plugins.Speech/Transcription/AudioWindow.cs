namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>
/// One stretch of the input that whisper.cpp transcribes in one call, and the part of it whose
/// words the transcript takes (the rest is overlap, taken from the neighbouring window).
/// </summary>
/// <param name="Index">0 for the first window.</param>
/// <param name="StartSample">First sample of the stretch.</param>
/// <param name="EndSample">One past its last sample.</param>
/// <param name="KeepFrom">Words starting at or after this second belong to this window.</param>
/// <param name="KeepUntil">Words starting before this second belong to this window.</param>
internal sealed record AudioWindow(int Index, int StartSample, int EndSample, double KeepFrom, double KeepUntil)
{
    /// <summary>Samples in the window.</summary>
    public int Length => EndSample - StartSample;

    /// <summary>Where the window starts in the input, in seconds: added to whisper's window-relative times.</summary>
    public double OffsetSeconds => StartSample / (double)Audio.AudioSamples.SampleRate;

    /// <summary>True when a word starting at <paramref name="seconds"/> is this window's to report.</summary>
    public bool Keeps(double seconds) => seconds >= KeepFrom && seconds < KeepUntil;
}
