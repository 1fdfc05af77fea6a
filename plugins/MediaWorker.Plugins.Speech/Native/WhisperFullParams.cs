using System.Runtime.InteropServices;

namespace MediaWorker.Plugins.Speech.Native;

#pragma warning disable SA1307, IDE1006 // Field names are whisper.h's, so the mirror reads like the header.

/// <summary>whisper.h <c>enum whisper_sampling_strategy</c>.</summary>
internal enum whisper_sampling_strategy
{
    WHISPER_SAMPLING_GREEDY = 0,
    WHISPER_SAMPLING_BEAM_SEARCH = 1,
}

/// <summary>
/// An exact mirror of <c>struct whisper_full_params</c> of the whisper.cpp bundled in
/// smart-whisper 0.8.1 (264 bytes on x86-64). <c>whisper_full_with_state</c> takes it by value, so
/// every field, including the ones the plugin never touches, must be here in header order.
/// </summary>
/// <remarks>
/// Never build one from scratch: start from <c>whisper_full_default_params_by_ref</c>
/// (see <see cref="WhisperParams.FullDefaults"/>). tests/…/Native/WhisperLayoutTests compiles a C
/// program against the same whisper.h and compares sizeof/offsetof of every field with this.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct whisper_full_params
{
    public whisper_sampling_strategy strategy;

    public int n_threads;
    public int n_max_text_ctx;
    public int offset_ms;
    public int duration_ms;

    public CBool translate;
    public CBool no_context;
    public CBool no_timestamps;
    public CBool single_segment;
    public CBool print_special;
    public CBool print_progress;
    public CBool print_realtime;
    public CBool print_timestamps;

    public CBool token_timestamps;
    public float thold_pt;
    public float thold_ptsum;
    public int max_len;
    public CBool split_on_word;
    public int max_tokens;

    public CBool debug_mode;
    public int audio_ctx;

    public CBool tdrz_enable;

    public byte* suppress_regex;

    public byte* initial_prompt;
    public int* prompt_tokens;
    public int prompt_n_tokens;

    public byte* language;
    public CBool detect_language;

    public CBool suppress_blank;
    public CBool suppress_non_speech_tokens;

    public float temperature;
    public float max_initial_ts;
    public float length_penalty;

    public float temperature_inc;
    public float entropy_thold;
    public float logprob_thold;
    public float no_speech_thold;

    public whisper_greedy_params greedy;
    public whisper_beam_search_params beam_search;

    /// <summary>(ctx, state, n_new, user_data): called after each batch of new segments.</summary>
    public delegate* unmanaged<nint, nint, int, nint, void> new_segment_callback;
    public nint new_segment_callback_user_data;

    /// <summary>(ctx, state, progress 0-100, user_data).</summary>
    public delegate* unmanaged<nint, nint, int, nint, void> progress_callback;
    public nint progress_callback_user_data;

    /// <summary>(ctx, state, user_data) → false aborts before the next 30-second window.</summary>
    public delegate* unmanaged<nint, nint, nint, byte> encoder_begin_callback;
    public nint encoder_begin_callback_user_data;

    /// <summary>ggml_abort_callback (user_data) → true aborts the running graph computation.</summary>
    public delegate* unmanaged<nint, byte> abort_callback;
    public nint abort_callback_user_data;

    /// <summary>(ctx, state, tokens, n_tokens, logits, user_data).</summary>
    public delegate* unmanaged<nint, nint, whisper_token_data*, int, float*, nint, void> logits_filter_callback;
    public nint logits_filter_callback_user_data;

    public nint grammar_rules;
    public nuint n_grammar_rules;
    public nuint i_start_rule;
    public float grammar_penalty;
}

/// <summary>The anonymous <c>greedy</c> struct inside <c>whisper_full_params</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct whisper_greedy_params
{
    public int best_of;
}

/// <summary>The anonymous <c>beam_search</c> struct inside <c>whisper_full_params</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct whisper_beam_search_params
{
    public int beam_size;
    public float patience;
}
