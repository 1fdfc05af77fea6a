namespace MediaWorker.Plugins.Speech.WakeWords;

/// <summary>A wake word found in a transcript.</summary>
/// <param name="WakeWord">The phrase as the job gave it.</param>
/// <param name="MatchedText">The transcript's words that matched, as transcribed.</param>
/// <param name="Start">Start of the first matched word, in seconds.</param>
/// <param name="End">End of the last matched word, in seconds.</param>
/// <param name="Similarity">How alike the normalised texts are, 0-1.</param>
internal sealed record WakeWordMatch(string WakeWord, string MatchedText, double Start, double End, double Similarity);
