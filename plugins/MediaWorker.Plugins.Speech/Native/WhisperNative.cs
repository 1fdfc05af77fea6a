using System.Runtime.InteropServices;

namespace MediaWorker.Plugins.Speech.Native;

#pragma warning disable SA1300, IDE1006 // Method names are whisper.h's, so a reader can grep the header.

/// <summary>
/// The whisper.cpp C API calls the plugin makes. <c>"whisper"</c> is mapped to the library that
/// <see cref="WhisperLibrary"/> loaded and verified; nothing here may run before that.
/// </summary>
/// <remarks>
/// Strings returned by whisper.cpp (segment and token texts, language codes) are owned by the
/// library and stay valid until the state or context is freed: they are copied, never freed.
/// </remarks>
internal static unsafe partial class WhisperNative
{
    private const string Lib = WhisperLibrary.ImportName;

    [LibraryImport(Lib)]
    internal static partial whisper_context_params* whisper_context_default_params_by_ref();

    [LibraryImport(Lib)]
    internal static partial void whisper_free_context_params(whisper_context_params* @params);

    [LibraryImport(Lib)]
    internal static partial whisper_full_params* whisper_full_default_params_by_ref(whisper_sampling_strategy strategy);

    [LibraryImport(Lib)]
    internal static partial void whisper_free_params(whisper_full_params* @params);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial WhisperContextHandle whisper_init_from_file_with_params_no_state(string path_model, whisper_context_params @params);

    /// <summary>The exception-guarded loader of the set-up build (Native/mediaworker_whisper.cpp).</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial WhisperContextHandle mediaworker_whisper_init_from_file_no_state(string path_model, whisper_context_params* @params, byte* error, nuint error_size);

    [LibraryImport(Lib)]
    internal static partial void whisper_free(nint ctx);

    [LibraryImport(Lib)]
    internal static partial nint whisper_init_state(WhisperContextHandle ctx);

    [LibraryImport(Lib)]
    internal static partial void whisper_free_state(nint state);

    [LibraryImport(Lib)]
    internal static partial int whisper_full_with_state(WhisperContextHandle ctx, WhisperStateHandle state, whisper_full_params @params, float* samples, int n_samples);

    /// <summary>The exception-guarded whisper_full_with_state of the set-up build; -100 when it caught an exception.</summary>
    [LibraryImport(Lib)]
    internal static partial int mediaworker_whisper_full_with_state(WhisperContextHandle ctx, WhisperStateHandle state, whisper_full_params* @params, float* samples, int n_samples, byte* error, nuint error_size);

    [LibraryImport(Lib)]
    internal static partial int whisper_full_n_segments_from_state(WhisperStateHandle state);

    [LibraryImport(Lib)]
    internal static partial int whisper_full_lang_id_from_state(WhisperStateHandle state);

    [LibraryImport(Lib)]
    internal static partial long whisper_full_get_segment_t0_from_state(WhisperStateHandle state, int i_segment);

    [LibraryImport(Lib)]
    internal static partial long whisper_full_get_segment_t1_from_state(WhisperStateHandle state, int i_segment);

    [LibraryImport(Lib)]
    internal static partial byte* whisper_full_get_segment_text_from_state(WhisperStateHandle state, int i_segment);

    [LibraryImport(Lib)]
    internal static partial int whisper_full_n_tokens_from_state(WhisperStateHandle state, int i_segment);

    [LibraryImport(Lib)]
    internal static partial byte* whisper_full_get_token_text_from_state(WhisperContextHandle ctx, WhisperStateHandle state, int i_segment, int i_token);

    [LibraryImport(Lib)]
    internal static partial whisper_token_data whisper_full_get_token_data_from_state(WhisperStateHandle state, int i_segment, int i_token);

    [LibraryImport(Lib)]
    internal static partial int whisper_n_vocab(WhisperContextHandle ctx);

    [LibraryImport(Lib)]
    internal static partial int whisper_n_text_ctx(WhisperContextHandle ctx);

    [LibraryImport(Lib)]
    internal static partial int whisper_is_multilingual(WhisperContextHandle ctx);

    [LibraryImport(Lib)]
    internal static partial int whisper_token_eot(WhisperContextHandle ctx);

    [LibraryImport(Lib)]
    internal static partial int whisper_token_nosp(WhisperContextHandle ctx);

    [LibraryImport(Lib)]
    internal static partial byte* whisper_model_type_readable(WhisperContextHandle ctx);

    /// <summary>Called from the logits-filter callback, where only the raw state pointer exists.</summary>
    [LibraryImport(Lib)]
    internal static partial float* whisper_get_logits_from_state(nint state);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int whisper_lang_id(string lang);

    [LibraryImport(Lib)]
    internal static partial byte* whisper_lang_str(int id);

    [LibraryImport(Lib)]
    internal static partial nuint ggml_type_size(ggml_type type);

    [LibraryImport(Lib)]
    internal static partial long ggml_blck_size(ggml_type type);

    [LibraryImport(Lib)]
    internal static partial void whisper_log_set(delegate* unmanaged<ggml_log_level, byte*, nint, void> log_callback, nint user_data);
}

/// <summary>The ggml.h <c>enum ggml_type</c> values the plugin names; any value below the count is a type.</summary>
#pragma warning disable CA1712 // The values keep ggml.h's names.
internal enum ggml_type
{
    GGML_TYPE_F32 = 0,
    GGML_TYPE_F16 = 1,
    GGML_TYPE_COUNT = 36,
}

/// <summary>ggml.h <c>enum ggml_log_level</c>.</summary>
internal enum ggml_log_level
{
    GGML_LOG_LEVEL_NONE = 0,
    GGML_LOG_LEVEL_INFO = 1,
    GGML_LOG_LEVEL_WARN = 2,
    GGML_LOG_LEVEL_ERROR = 3,
    GGML_LOG_LEVEL_DEBUG = 4,
    GGML_LOG_LEVEL_CONT = 5,
}
