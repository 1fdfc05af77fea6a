namespace MediaWorker.Plugins.Speech.Audio;

/// <summary>Facts about the 16 kHz mono float audio whisper.cpp takes, and the checks made before it runs.</summary>
internal static class AudioSamples
{
    /// <summary>whisper.cpp's only sample rate.</summary>
    public const int SampleRate = 16_000;

    /// <summary>
    /// Short input is padded with silence to this length (1.5 s): whisper_full returns without
    /// decoding input under 100 ms (whisper.cpp 1.8; a second in earlier versions), which would
    /// come back as an empty transcript, and a clip of a word or two decodes better with some room.
    /// </summary>
    public const int MinimumSamples = SampleRate * 3 / 2;

    /// <summary>A peak below this level (dBFS) counts as silence: there is nothing to transcribe.</summary>
    public const double SilencePeakDbfs = -70.0;

    /// <summary>Seconds of audio in <paramref name="count"/> samples.</summary>
    public static double Seconds(int count) => count / (double)SampleRate;

    /// <summary>The samples, padded with trailing silence to <see cref="MinimumSamples"/> when shorter.</summary>
    public static float[] PadToMinimum(float[] samples)
    {
        if (samples.Length >= MinimumSamples)
        {
            return samples;
        }

        var padded = new float[MinimumSamples];
        samples.CopyTo(padded, 0);
        return padded;
    }

    /// <summary>The peak level in dBFS (negative infinity for digital silence or no samples).</summary>
    public static double PeakDbfs(ReadOnlySpan<float> samples)
    {
        var peak = 0f;
        foreach (var s in samples)
        {
            peak = Math.Max(peak, Math.Abs(s));
        }

        return peak > 0 ? 20 * Math.Log10(peak) : double.NegativeInfinity;
    }
}
