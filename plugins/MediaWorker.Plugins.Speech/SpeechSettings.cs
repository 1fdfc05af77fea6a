using System.Globalization;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Speech;

/// <summary>The plugin's settings (worker.env / environment), read once when the plugin loads.</summary>
/// <param name="Model">WHISPER_MODEL: a model name (<c>base.en</c>) or a path; <see langword="null"/> when unset.</param>
/// <param name="ModelPath">WHISPER_MODEL_PATH: a model file; <see langword="null"/> when unset.</param>
/// <param name="ServerDirectory">CL_SERVER_DIR, whose <c>models</c> folder holds pulled models; <see langword="null"/> for <c>./data</c>.</param>
/// <param name="Threads">WHISPER_THREADS: CPU threads per job; <see langword="null"/> for the slot's share of the cores.</param>
internal sealed record SpeechSettings(string? Model, string? ModelPath, string? ServerDirectory, int? Threads)
{
    public const string ModelSetting = "WHISPER_MODEL";
    public const string ModelPathSetting = "WHISPER_MODEL_PATH";
    public const string ThreadsSetting = "WHISPER_THREADS";
    public const string ServerDirectorySetting = "CL_SERVER_DIR";

    /// <summary>A setting of the old hand-built library: read only to say it is gone.</summary>
    public const string RetiredLibraryPathSetting = "WHISPER_LIBRARY_PATH";

    private const int MaxThreads = 256;

    /// <summary>Reads and checks the settings.</summary>
    /// <exception cref="InvalidOperationException">WHISPER_THREADS is not a whole number from 1 to 256, or both model settings are set.</exception>
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

        var model = settings.GetValue(ModelSetting);
        var modelPath = settings.GetValue(ModelPathSetting);
        if (model is not null && modelPath is not null)
        {
            throw new InvalidOperationException($"Both {ModelSetting} ('{model}') and {ModelPathSetting} ('{modelPath}') are set; keep one ({ModelSetting} takes a name such as base.en or a path).");
        }

        return new SpeechSettings(model, modelPath, settings.GetValue(ServerDirectorySetting), threads);
    }

    /// <summary>True when a model is configured at all.</summary>
    public bool HasModel => Model is not null || ModelPath is not null;

    /// <summary>
    /// Threads per job: WHISPER_THREADS, or the cores divided among the worker's job slots (at least
    /// one), so concurrent transcriptions do not oversubscribe the CPU.
    /// </summary>
    public int ThreadsPerJob(int workerConcurrency, int processorCount) =>
        Threads ?? Math.Max(1, processorCount / Math.Max(1, workerConcurrency));
}
