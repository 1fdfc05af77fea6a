using System.Diagnostics;
using MediaWorker.WhisperModels;
using Whisper.net;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>
/// A loaded ggml Whisper model: one <see cref="WhisperFactory"/> (one whisper.cpp context) shared by
/// every job of the process; each job builds a <see cref="WhisperProcessor"/> of its own, whose
/// runs decode in states of their own, so jobs run in parallel on one copy of the weights.
/// </summary>
internal sealed class WhisperModel : IDisposable
{
    private static readonly Lazy<HashSet<string>> LanguagesLazy = new(() => [.. WhisperFactory.GetSupportedLanguages()]);

    private WhisperModel(ModelLocation location, ModelFileInfo info, WhisperFactory factory, TimeSpan loadTime)
    {
        Location = location;
        Info = info;
        Factory = factory;
        LoadTime = loadTime;
    }

    /// <summary>Where the file is and which setting named it.</summary>
    public ModelLocation Location { get; }

    /// <summary>What the file's header says (multilingual, end-of-text token, size).</summary>
    public ModelFileInfo Info { get; }

    /// <summary>The shared factory processors are built from.</summary>
    public WhisperFactory Factory { get; }

    /// <summary>How long whisper.cpp took to load the file.</summary>
    public TimeSpan LoadTime { get; }

    /// <summary>False for the English-only <c>.en</c> models, which can neither translate nor use another language.</summary>
    public bool IsMultilingual => Info.IsMultilingual;

    /// <summary>The file name, for messages.</summary>
    public string FileName => Path.GetFileName(Location.Path);

    /// <summary>True when whisper.cpp knows the language code (<c>de</c>).</summary>
    public static bool KnowsLanguage(string code) => LanguagesLazy.Value.Contains(code);

    /// <summary>
    /// Checks the file's structure, then loads it. Blocks for as long as reading the weights takes
    /// (seconds for large models).
    /// </summary>
    /// <exception cref="ModelFileException">The file is missing, not a ggml model, cut short, or whisper.cpp refused it.</exception>
    public static WhisperModel Load(ModelLocation location)
    {
        ModelFileInfo info;
        try
        {
            info = ModelFileCheck.Check(location.Path, location.Path);
        }
        catch (ModelFileException ex)
        {
            throw new ModelFileException($"{location.Shown}: {ex.Message} {location.Remedy}", ex);
        }

        OpenMpWaitPolicy.EnsurePassive();
        var watch = Stopwatch.StartNew();
        try
        {
            // The CPU runtime is the only one shipped; UseGpu off keeps whisper.cpp from probing for devices.
            var factory = WhisperFactory.FromPath(location.Path, new WhisperFactoryOptions { UseGpu = false });
            _ = factory.CreateBuilder(); // the context is created here: a refusal surfaces now, not in the first job
            ComputeAbort.Install(); // the native libraries are loaded now, and no job has created a state yet
            return new WhisperModel(location, info, factory, watch.Elapsed);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ModelFileException($"{location.Shown} could not be loaded by whisper.cpp ({ex.Message}). {location.Remedy}", ex);
        }
    }

    public void Dispose() => Factory.Dispose();
}
