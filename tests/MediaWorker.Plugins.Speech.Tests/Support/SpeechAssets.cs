namespace MediaWorker.Plugins.Speech.Tests.Support;

/// <summary>
/// What the speech tests run on, all from the repository or made here: whisper.cpp's weights-less
/// test model (TestData/, copied next to the tests) and speech spoken by espeak-ng, resampled by
/// ffmpeg to the 16 kHz mono whisper takes. Nothing outside the clone is read.
/// </summary>
internal static class SpeechAssets
{
    /// <summary>About as long as jfk.wav (11 s), the clip the old figures were measured on.</summary>
    public const string Sentence = "And so my fellow Americans, ask not what your country can do for you. Ask what you can do for your country. Hey media worker, start the recording.";

    private static readonly Lazy<string> FolderLazy = new(() => Directory.CreateTempSubdirectory("mw-speech-assets-").FullName);
    private static readonly Lazy<string> SentenceLazy = new(() => Speak(Path.Combine(FolderLazy.Value, "sentence.wav"), Sentence));
    private static readonly Lazy<string> TenMinutesLazy = new(() => Loop(SentenceLazy.Value, Path.Combine(FolderLazy.Value, "ten-minutes.wav"), 600));

    /// <summary>whisper.cpp's test model: the real format and vocabulary of tiny.en, no weights.</summary>
    public static string TestModel => Path.Combine(AppContext.BaseDirectory, "TestData", "for-tests-ggml-tiny.en.bin");

    /// <summary><see cref="Sentence"/> spoken by espeak-ng: a 16 kHz mono WAV of about 11 s (made once per run).</summary>
    public static string SentenceWav => SentenceLazy.Value;

    /// <summary>The length of <see cref="SentenceWav"/> in seconds.</summary>
    public static double SentenceSeconds => WavFile.ReadSamples(SentenceWav).Length / 16_000.0;

    /// <summary>The sentence over and over for ten minutes (made once per run).</summary>
    public static string TenMinutesWav => TenMinutesLazy.Value;

    /// <summary>Speaks <paramref name="text"/> into a 16 kHz mono WAV.</summary>
    public static string Speak(string path, string text)
    {
        var raw = path + ".espeak.wav";
        NativeTool.Run("espeak-ng", ["-v", "en-us", "-s", "140", "-w", raw, text]);
        NativeTool.Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", raw, "-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le", path]);
        File.Delete(raw);
        return path;
    }

    /// <summary><paramref name="source"/> repeated to <paramref name="seconds"/> long, 16 kHz mono.</summary>
    public static string Loop(string source, string path, int seconds)
    {
        NativeTool.Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-stream_loop", "-1", "-i", source, "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le", path]);
        return path;
    }
}
