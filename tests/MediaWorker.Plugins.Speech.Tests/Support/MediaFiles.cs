namespace MediaWorker.Plugins.Speech.Tests.Support;

/// <summary>Small media files made by the real ffmpeg for the tests (a second or two, so they cost little).</summary>
internal static class MediaFiles
{
    /// <summary>An MP4 with a test-pattern video track and, when <paramref name="withAudio"/>, a 440 Hz tone.</summary>
    public static string Video(string path, double seconds, bool withAudio)
    {
        List<string> args = ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"testsrc=size=160x120:rate=10:duration={seconds}"];
        if (withAudio)
        {
            args.AddRange(["-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=44100:duration={seconds}", "-c:a", "aac"]);
        }

        args.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-shortest", path]);
        NativeTool.Run("ffmpeg", args);
        return path;
    }

    /// <summary>A 16 kHz WAV of a 440 Hz tone at half scale.</summary>
    public static string Tone(string path, double seconds)
    {
        var samples = new float[(int)(16_000 * seconds)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = 0.5f * MathF.Sin(2 * MathF.PI * 440 * i / 16_000);
        }

        WavFile.Write(path, samples);
        return path;
    }
}
