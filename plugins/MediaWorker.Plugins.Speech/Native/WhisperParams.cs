namespace MediaWorker.Plugins.Speech.Native;

/// <summary>
/// whisper.cpp's default parameter structs, copied out of the library's own
/// <c>*_default_params_by_ref</c> functions, so every field the plugin does not set keeps the value
/// the library chose for itself.
/// </summary>
internal static unsafe class WhisperParams
{
    /// <summary>The defaults of <c>whisper_full</c> for a sampling strategy.</summary>
    public static whisper_full_params FullDefaults(whisper_sampling_strategy strategy) =>
        CopyAndFree(WhisperNative.whisper_full_default_params_by_ref(strategy), &WhisperNative.whisper_free_params);

    /// <summary>The defaults of <c>whisper_init_*</c>.</summary>
    public static whisper_context_params ContextDefaults() =>
        CopyAndFree(WhisperNative.whisper_context_default_params_by_ref(), &WhisperNative.whisper_free_context_params);

    /// <summary>Copies a struct the library allocated with <c>new</c>, then lets the library free it.</summary>
    public static T CopyAndFree<T>(T* allocated, delegate*<T*, void> free)
        where T : unmanaged
    {
        if (allocated is null)
        {
            throw new WhisperException($"whisper.cpp returned no default {typeof(T).Name}.");
        }

        try
        {
            return *allocated;
        }
        finally
        {
            free(allocated);
        }
    }
}
