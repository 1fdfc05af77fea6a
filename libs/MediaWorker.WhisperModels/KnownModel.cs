namespace MediaWorker.WhisperModels;

/// <summary>A ggml Whisper model that whisper.cpp publishes.</summary>
/// <param name="Name">The name <c>models pull</c> and WHISPER_MODEL take, e.g. <c>base.en</c>; the file is <c>ggml-NAME.bin</c>.</param>
/// <param name="Sha1">The SHA-1 whisper.cpp publishes for the file (models/README.md), lower-case hex; <see langword="null"/> when it publishes none.</param>
/// <param name="ApproximateSize">The file's size as whisper.cpp's table gives it, for people (e.g. <c>142 MiB</c>).</param>
public sealed record KnownModel(string Name, string? Sha1, string ApproximateSize)
{
    /// <summary>The file name whisper.cpp publishes the model under.</summary>
    public string FileName => ModelNames.FileName(Name);

    /// <summary>False for the English-only <c>.en</c> models.</summary>
    public bool IsMultilingual => !Name.Contains(".en", StringComparison.Ordinal);
}
