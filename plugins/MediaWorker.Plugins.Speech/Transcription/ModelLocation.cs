using MediaWorker.WhisperModels;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>
/// Where the configured model is: WHISPER_MODEL as a name (a file pulled into
/// <c>$CL_SERVER_DIR/models</c>) or as a path, or WHISPER_MODEL_PATH.
/// </summary>
/// <param name="Path">The full path of the model file.</param>
/// <param name="Shown">The setting and its value, for messages (<c>WHISPER_MODEL 'base.en'</c>).</param>
/// <param name="ModelName">The catalogue name when WHISPER_MODEL named a model; otherwise <see langword="null"/>.</param>
internal sealed record ModelLocation(string Path, string Shown, string? ModelName)
{
    /// <summary>Resolves the settings; <see langword="null"/> when no model is configured.</summary>
    /// <exception cref="ModelFileException">WHISPER_MODEL names a model that whisper.cpp does not publish.</exception>
    public static ModelLocation? From(SpeechSettings settings)
    {
        if (settings.ModelPath is { } path)
        {
            return new ModelLocation(System.IO.Path.GetFullPath(path), $"{SpeechSettings.ModelPathSetting} '{path}'", null);
        }

        if (settings.Model is not { } model)
        {
            return null;
        }

        if (!ModelNames.IsName(model))
        {
            return new ModelLocation(System.IO.Path.GetFullPath(model), $"{SpeechSettings.ModelSetting} '{model}'", null);
        }

        if (ModelCatalogue.Find(model) is null)
        {
            throw new ModelFileException(
                $"{SpeechSettings.ModelSetting} is '{model}', which is not a model whisper.cpp publishes: `mediaworker models list` shows the names (for example base.en), or give a path to a ggml .bin file.");
        }

        var store = ModelStore.ForServerDirectory(settings.ServerDirectory ?? System.IO.Path.Combine(Environment.CurrentDirectory, "data"));
        return new ModelLocation(store.PathOf(model), $"{SpeechSettings.ModelSetting} '{model}'", model);
    }

    /// <summary>What to do when the file is missing or broken.</summary>
    public string Remedy => ModelName is { } name
        ? $"Pull it with `mediaworker models pull {name}` (into {System.IO.Path.GetDirectoryName(Path)})."
        : $"Point the setting at a ggml Whisper model, or pull one with `mediaworker models pull base.en` and set {SpeechSettings.ModelSetting}=base.en.";
}
