namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>How one input is transcribed.</summary>
/// <param name="Language">An ISO code whisper.cpp knows (<c>en</c>, <c>de</c>, ...) or <c>auto</c> to detect it.</param>
/// <param name="Translate">Translate the speech into English (multilingual models only).</param>
/// <param name="InitialPrompt">Text that conditions the first window (spelling of names, style); <see langword="null"/> for none.</param>
/// <param name="WordTimestamps">Token-level timestamps on, segments split on word boundaries, words reported.</param>
/// <param name="MaxSegmentLength">The most characters per segment (needs word timestamps); <see langword="null"/> for whisper's own segmentation.</param>
/// <param name="Threads">CPU threads whisper.cpp uses for this job.</param>
internal sealed record TranscriptionOptions(
    string Language,
    bool Translate,
    string? InitialPrompt,
    bool WordTimestamps,
    int? MaxSegmentLength,
    int Threads)
{
    /// <summary>The language value that asks whisper.cpp to detect the language.</summary>
    public const string AutoLanguage = "auto";
}
