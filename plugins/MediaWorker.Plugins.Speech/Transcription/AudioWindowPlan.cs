using MediaWorker.Plugins.Speech.Audio;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>
/// Cuts long audio into windows of at most 30 s (whisper's own input length), so a cancel only has
/// to wait for the window being decoded and progress covers the whole file. Each cut lies at the
/// quietest 20 ms between 24 and 28 s into the window, and both neighbours see one second past it,
/// so a word spoken across the cut is heard whole by at least one of them;
/// <see cref="WindowStitcher"/> then keeps each word from exactly one window.
/// </summary>
internal static class AudioWindowPlan
{
    /// <summary>Input up to this long is transcribed in one call, as whisper.cpp would do it.</summary>
    public const double SingleWindowSeconds = 30;

    /// <summary>Seconds each window reaches past its cut into the neighbour.</summary>
    public const double OverlapSeconds = 1;

    private const double EarliestCutSeconds = 24;
    private const double LatestCutSeconds = 28;
    private const int FrameSamples = AudioSamples.SampleRate / 50; // 20 ms

    /// <summary>The windows covering <paramref name="samples"/>, in order.</summary>
    public static IReadOnlyList<AudioWindow> For(ReadOnlySpan<float> samples)
    {
        var rate = AudioSamples.SampleRate;
        var overlap = (int)(OverlapSeconds * rate);
        var windows = new List<AudioWindow>();
        var start = 0;
        var keepFrom = double.NegativeInfinity;
        while (samples.Length - start > SingleWindowSeconds * rate)
        {
            var cut = QuietestPoint(samples, start + (int)(EarliestCutSeconds * rate), start + (int)(LatestCutSeconds * rate));
            var cutSeconds = cut / (double)rate;
            windows.Add(new AudioWindow(windows.Count, start, cut + overlap, keepFrom, cutSeconds));
            start = cut - overlap;
            keepFrom = cutSeconds;
        }

        windows.Add(new AudioWindow(windows.Count, start, samples.Length, keepFrom, double.PositiveInfinity));
        return windows;
    }

    /// <summary>The centre of the 20 ms frame with the least energy in [from, to).</summary>
    private static int QuietestPoint(ReadOnlySpan<float> samples, int from, int to)
    {
        var best = from;
        var bestEnergy = double.MaxValue;
        for (var frame = from; frame + FrameSamples <= to; frame += FrameSamples)
        {
            double energy = 0;
            foreach (var sample in samples.Slice(frame, FrameSamples))
            {
                energy += sample * sample;
            }

            if (energy < bestEnergy)
            {
                bestEnergy = energy;
                best = frame + (FrameSamples / 2);
            }
        }

        return best;
    }
}
