using System.Runtime.InteropServices;
using MediaWorker.Plugins.Speech.Native;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>
/// A loaded ggml Whisper model (a <c>whisper_context</c> without its own state). One is shared by
/// every job of the process; each job decodes in a <see cref="WhisperStateHandle"/> of its own,
/// which whisper.cpp supports concurrently on one context (as <c>whisper_full_parallel</c> does).
/// </summary>
internal sealed unsafe class WhisperModel : IDisposable
{
    private readonly WhisperContextHandle _context;

    private WhisperModel(string path, WhisperContextHandle context)
    {
        Path = path;
        _context = context;
        IsMultilingual = WhisperNative.whisper_is_multilingual(context) != 0;
        EndOfTextToken = WhisperNative.whisper_token_eot(context);
        ModelType = Marshal.PtrToStringUTF8((nint)WhisperNative.whisper_model_type_readable(context)) ?? "unknown";
    }

    /// <summary>The model file.</summary>
    public string Path { get; }

    /// <summary>False for the English-only <c>.en</c> models, which can neither translate nor use another language.</summary>
    public bool IsMultilingual { get; }

    /// <summary>Token ids at or above this one are special (timestamps, language, task tokens), not text.</summary>
    public int EndOfTextToken { get; }

    /// <summary>whisper.cpp's name for the model size, e.g. <c>base</c>.</summary>
    public string ModelType { get; }

    internal WhisperContextHandle Context => _context;

    /// <summary>Loads a model file; blocks for as long as reading it takes (seconds for large models).</summary>
    /// <exception cref="WhisperException">whisper.cpp refused the file.</exception>
    public static WhisperModel Load(string path)
    {
        var parameters = WhisperParams.ContextDefaults();
        parameters.use_gpu = false; // this build has only the CPU backend
        return new WhisperModel(path, WhisperCalls.InitFromFile(path, parameters));
    }

    /// <summary>The id of a language code (<c>de</c>) or name (<c>german</c>), or -1 when whisper.cpp does not know it.</summary>
    public static int LanguageId(string language) => WhisperNative.whisper_lang_id(language);

    /// <summary>The short code of a language id, e.g. <c>en</c>.</summary>
    public static string LanguageCode(int id) => Marshal.PtrToStringUTF8((nint)WhisperNative.whisper_lang_str(id)) ?? "und";

    /// <summary>A fresh decoding state for one job.</summary>
    public WhisperStateHandle CreateState() => WhisperStateHandle.Create(_context);

    public void Dispose() => _context.Dispose();
}
