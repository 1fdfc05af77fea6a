namespace MediaWorker.Plugins.Speech.Native;

/// <summary>Sizes of ggml tensor types, from the loaded library itself, for walking model files.</summary>
internal static class GgmlTypes
{
    /// <summary>The (bytes per block, elements per block) of a type, or null when the value is not a type of this ggml.</summary>
    public static (long TypeSize, long BlockSize)? Sizes(int type)
    {
        // ggml indexes a fixed table with the type: a value outside it must never reach ggml.
        if (type < 0 || type >= (int)ggml_type.GGML_TYPE_COUNT)
        {
            return null;
        }

        var value = (ggml_type)type;
        return ((long)WhisperNative.ggml_type_size(value), WhisperNative.ggml_blck_size(value));
    }
}
