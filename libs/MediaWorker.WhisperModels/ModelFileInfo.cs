namespace MediaWorker.WhisperModels;

/// <summary>What the structural check read from a ggml Whisper model file.</summary>
/// <param name="VocabularySize">n_vocab of the header: 51864 for the English-only models, 51865 or more for the multilingual ones.</param>
/// <param name="AudioLayers">n_audio_layer: 4 tiny, 6 base, 12 small, 24 medium, 32 large.</param>
/// <param name="TensorCount">Weight tensors in the file (0 for whisper.cpp's weights-less test models).</param>
public sealed record ModelFileInfo(int VocabularySize, int AudioLayers, int TensorCount)
{
    private const int MultilingualVocabulary = 51865;

    /// <summary>False for the English-only <c>.en</c> models (whisper.cpp's own rule).</summary>
    public bool IsMultilingual => VocabularySize >= MultilingualVocabulary;

    /// <summary>The end-of-text token: ids at or above it are special (timestamps, language, task), not text.</summary>
    public int EndOfTextToken => IsMultilingual ? 50257 : 50256;

    /// <summary>whisper.cpp's name for the model size.</summary>
    public string ModelType => AudioLayers switch
    {
        4 => "tiny",
        6 => "base",
        12 => "small",
        24 => "medium",
        32 => "large",
        _ => "unknown",
    };
}
