using System.Runtime.InteropServices;

namespace MediaWorker.Plugins.Speech.Native;

/// <summary>
/// Refuses a libwhisper.so whose structs differ from the plugin's mirrors, before anything is
/// passed to it by value.
/// </summary>
/// <remarks>
/// <para>The whisper.cpp of smart-whisper 0.8.1 has no version function. The set-up build adds
/// <c>mediaworker_whisper_*</c> exports (Native/mediaworker_whisper.cpp) that name the source
/// package and report the struct sizes the compiler saw; a mismatch is refused.</para>
/// <para>A foreign build (WHISPER_LIBRARY_PATH) lacks them. One that exports
/// <c>whisper_version</c> is a later whisper.cpp, whose <c>whisper_full_params</c> grew, and is
/// refused. Every library, ours included, must then reproduce the documented defaults of this
/// version at the offsets the mirrors give them: a moved, added or removed field shows up there.</para>
/// </remarks>
internal static unsafe class WhisperBuildCheck
{
    /// <summary>The package whose whisper.cpp sources the mirrors in this folder follow.</summary>
    public const string ExpectedSource = "smart-whisper@0.8.1";

    private const string RebuildHint = "Rebuild it with ./start_worker.sh --build-only (scripts/setup.d/whisper.sh), or point WHISPER_LIBRARY_PATH at a build of the whisper.cpp sources in " + ExpectedSource + ".";

    /// <summary>Throws when the library at <paramref name="path"/> is not a build the mirrors fit.</summary>
    /// <exception cref="WhisperException">The library is refused; the message says why and how to fix it.</exception>
    public static void Verify(nint library, string path)
    {
        if (NativeLibrary.TryGetExport(library, "mediaworker_whisper_source", out var sourceExport))
        {
            VerifyBuildInfo(library, path, sourceExport);
        }
        else if (NativeLibrary.TryGetExport(library, "whisper_version", out var versionExport))
        {
            var version = Marshal.PtrToStringUTF8((nint)((delegate* unmanaged<byte*>)versionExport)()) ?? "?";
            throw new WhisperException($"'{path}' is whisper.cpp {version}; this plugin mirrors the structs of the earlier whisper.cpp in {ExpectedSource}, which whisper_full_params of later versions no longer match. {RebuildHint}");
        }

        var problems = DefaultsProblems(library, path);
        if (problems.Count > 0)
        {
            throw new WhisperException($"'{path}' does not have the whisper_full_params layout of whisper.cpp from {ExpectedSource} ({string.Join("; ", problems)}). {RebuildHint}");
        }
    }

    private static void VerifyBuildInfo(nint library, string path, nint sourceExport)
    {
        var source = Marshal.PtrToStringUTF8((nint)((delegate* unmanaged<byte*>)sourceExport)()) ?? "?";
        if (!string.Equals(source, ExpectedSource, StringComparison.Ordinal))
        {
            throw new WhisperException($"'{path}' was built from the whisper.cpp sources of {source}, but this plugin mirrors those of {ExpectedSource}. {RebuildHint}");
        }

        (string Export, string Struct, int Mirror)[] sizes =
        [
            ("mediaworker_whisper_full_params_size", "whisper_full_params", sizeof(whisper_full_params)),
            ("mediaworker_whisper_context_params_size", "whisper_context_params", sizeof(whisper_context_params)),
            ("mediaworker_whisper_token_data_size", "whisper_token_data", sizeof(whisper_token_data)),
        ];
        foreach (var (export, name, mirror) in sizes)
        {
            var native = (long)((delegate* unmanaged<nuint>)Export(library, path, export))();
            if (native != mirror)
            {
                throw new WhisperException($"'{path}' has a {native}-byte {name}, the plugin's mirror has {mirror} bytes. {RebuildHint}");
            }
        }
    }

    /// <summary>Every default of this version that the library does not reproduce at the mirrored offset.</summary>
    internal static List<string> DefaultsProblems(nint library, string path)
    {
        var getFull = (delegate* unmanaged<whisper_sampling_strategy, whisper_full_params*>)Export(library, path, "whisper_full_default_params_by_ref");
        var freeFull = (delegate* unmanaged<whisper_full_params*, void>)Export(library, path, "whisper_free_params");
        var getContext = (delegate* unmanaged<whisper_context_params*>)Export(library, path, "whisper_context_default_params_by_ref");
        var freeContext = (delegate* unmanaged<whisper_context_params*, void>)Export(library, path, "whisper_free_context_params");

        var problems = new List<string>();
        foreach (var strategy in (ReadOnlySpan<whisper_sampling_strategy>)[whisper_sampling_strategy.WHISPER_SAMPLING_GREEDY, whisper_sampling_strategy.WHISPER_SAMPLING_BEAM_SEARCH])
        {
            var p = getFull(strategy);
            if (p is null)
            {
                problems.Add($"whisper_full_default_params_by_ref({strategy}) returned NULL");
                continue;
            }

            try
            {
                CheckFullDefaults(*p, strategy, problems);
            }
            finally
            {
                freeFull(p);
            }
        }

        var c = getContext();
        if (c is null)
        {
            problems.Add("whisper_context_default_params_by_ref returned NULL");
        }
        else
        {
            try
            {
                CheckContextDefaults(*c, problems);
            }
            finally
            {
                freeContext(c);
            }
        }

        return problems;
    }

    private static void CheckFullDefaults(in whisper_full_params p, whisper_sampling_strategy strategy, List<string> problems)
    {
        var greedy = strategy == whisper_sampling_strategy.WHISPER_SAMPLING_GREEDY;
        Expect(problems, "strategy", p.strategy, strategy);
        Expect(problems, "n_max_text_ctx", p.n_max_text_ctx, 16384);
        Expect(problems, "offset_ms", p.offset_ms, 0);
        Expect(problems, "no_context", (bool)p.no_context, true);
        Expect(problems, "print_progress", (bool)p.print_progress, true);
        Expect(problems, "print_timestamps", (bool)p.print_timestamps, true);
        Expect(problems, "token_timestamps", (bool)p.token_timestamps, false);
        Expect(problems, "thold_pt", p.thold_pt, 0.01f);
        Expect(problems, "thold_ptsum", p.thold_ptsum, 0.01f);
        Expect(problems, "max_len", p.max_len, 0);
        Expect(problems, "audio_ctx", p.audio_ctx, 0);
        Expect(problems, "suppress_regex", (nint)p.suppress_regex, 0);
        Expect(problems, "initial_prompt", (nint)p.initial_prompt, 0);
        Expect(problems, "prompt_n_tokens", p.prompt_n_tokens, 0);
        Expect(problems, "language", p.language is null ? null : Marshal.PtrToStringUTF8((nint)p.language), "en");
        Expect(problems, "suppress_blank", (bool)p.suppress_blank, true);
        Expect(problems, "max_initial_ts", p.max_initial_ts, 1.0f);
        Expect(problems, "length_penalty", p.length_penalty, -1.0f);
        Expect(problems, "temperature_inc", p.temperature_inc, 0.2f);
        Expect(problems, "entropy_thold", p.entropy_thold, 2.4f);
        Expect(problems, "logprob_thold", p.logprob_thold, -1.0f);
        Expect(problems, "no_speech_thold", p.no_speech_thold, 0.6f);
        Expect(problems, "greedy.best_of", p.greedy.best_of, greedy ? 5 : -1);
        Expect(problems, "beam_search.beam_size", p.beam_search.beam_size, greedy ? -1 : 5);
        Expect(problems, "beam_search.patience", p.beam_search.patience, -1.0f);
        Expect(problems, "new_segment_callback", (nint)p.new_segment_callback, 0);
        Expect(problems, "abort_callback", (nint)p.abort_callback, 0);
        Expect(problems, "logits_filter_callback_user_data", p.logits_filter_callback_user_data, 0);
        Expect(problems, "grammar_rules", p.grammar_rules, 0);
        Expect(problems, "n_grammar_rules", p.n_grammar_rules, 0u);
        Expect(problems, "grammar_penalty", p.grammar_penalty, 100.0f);
    }

    private static void CheckContextDefaults(in whisper_context_params c, List<string> problems)
    {
        Expect(problems, "context.use_gpu", (bool)c.use_gpu, true);
        Expect(problems, "context.flash_attn", (bool)c.flash_attn, false);
        Expect(problems, "context.gpu_device", c.gpu_device, 0);
        Expect(problems, "context.dtw_token_timestamps", (bool)c.dtw_token_timestamps, false);
        Expect(problems, "context.dtw_aheads_preset", c.dtw_aheads_preset, 0);
        Expect(problems, "context.dtw_n_top", c.dtw_n_top, -1);
        Expect(problems, "context.dtw_aheads.n_heads", c.dtw_aheads.n_heads, 0u);
        Expect(problems, "context.dtw_mem_size", c.dtw_mem_size, (nuint)(1024 * 1024 * 128));
    }

    private static void Expect<T>(List<string> problems, string field, T actual, T expected)
    {
        if (!EqualityComparer<T>.Default.Equals(actual, expected))
        {
            problems.Add($"default {field} is {actual}, expected {expected}");
        }
    }

    private static nint Export(nint library, string path, string name) =>
        NativeLibrary.TryGetExport(library, name, out var address)
            ? address
            : throw new WhisperException($"'{path}' does not export {name}, so it is not a whisper.cpp library this plugin can use. {RebuildHint}");
}
