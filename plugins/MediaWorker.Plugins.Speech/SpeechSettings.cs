using System.Globalization;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Speech;

/// <summary>The plugin's settings (worker.env / environment), read once when the plugin loads.</summary>
/// <param name="ModelPath">WHISPER_MODEL_PATH: a ggml Whisper model; <see langword="null"/> when unset.</param>
/// <param name="LibraryPath">WHISPER_LIBRARY_PATH: a libwhisper.so to use instead of the bundled build.</param>
/// <param name="Threads">WHISPER_THREADS: CPU threads per job; <see langword="null"/> for the slot's share of the cores.</param>
internal sealed record SpeechSettings(string? ModelPath, string? LibraryPath, int? Threads)
{
    public const string ModelPathSetting = "WHISPER_MODEL_PATH";
    public const string LibraryPathSetting = "WHISPER_LIBRARY_PATH";
    public const string ThreadsSetting = "WHISPER_THREADS";

    private const int MaxThreads = 256;

    /// <summary>Reads and checks the settings.</summary>
    /// <exception cref="InvalidOperationException">WHISPER_THREADS is not a whole number from 1 to 256.</exception>
    public static SpeechSettings Read(IPluginSettings settings)
    {
        int? threads = null;
        if (settings.GetValue(ThreadsSetting) is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > MaxThreads)
            {
                throw new InvalidOperationException($"{ThreadsSetting} is '{text}'; it must be a whole number from 1 to {MaxThreads}, or unset for the job slot's share of the cores.");
            }

            threads = value;
        }

        return new SpeechSettings(settings.GetValue(ModelPathSetting), settings.GetValue(LibraryPathSetting), threads);
    }

    /// <summary>
    /// Threads per job: WHISPER_THREADS, or the cores divided among the worker's job slots (at least
    /// one), so concurrent transcriptions do not oversubscribe the CPU.
    /// </summary>
    public int ThreadsPerJob(int workerConcurrency, int processorCount) =>
        Threads ?? Math.Max(1, processorCount / Math.Max(1, workerConcurrency));
}
