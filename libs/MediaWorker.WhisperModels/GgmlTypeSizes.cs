namespace MediaWorker.WhisperModels;

/// <summary>
/// Bytes per block and elements per block of the ggml tensor types a Whisper model can hold (ggml's
/// type_traits table), so a file can be walked without loading ggml.
/// </summary>
internal static class GgmlTypeSizes
{
    /// <summary>(type size, block size) of a ggml type id, or <see langword="null"/> for an id whisper.cpp models do not use.</summary>
    public static (long TypeSize, long BlockSize)? Of(int type) => type switch
    {
        0 => (4, 1), // F32
        1 => (2, 1), // F16
        2 => (18, 32), // Q4_0
        3 => (20, 32), // Q4_1
        6 => (22, 32), // Q5_0
        7 => (24, 32), // Q5_1
        8 => (34, 32), // Q8_0
        9 => (36, 32), // Q8_1
        10 => (84, 256), // Q2_K
        11 => (110, 256), // Q3_K
        12 => (144, 256), // Q4_K
        13 => (176, 256), // Q5_K
        14 => (210, 256), // Q6_K
        15 => (292, 256), // Q8_K
        30 => (2, 1), // BF16
        _ => null,
    };
}
