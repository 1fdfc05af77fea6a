namespace MediaWorker.Plugins.Speech.Transcripts;

/// <summary>
/// A transcription: what <c>transcribe</c> returns and writes to transcript.json, and what
/// <c>wake_word_detect</c> (and the Gemini plugin) read back. Times are seconds from the start of
/// the input.
/// </summary>
/// <param name="Language">The ISO code of the spoken (or forced) language, e.g. <c>en</c>.</param>
/// <param name="Duration">The input's audio duration in seconds (before any padding).</param>
/// <param name="Text">All segment texts, joined with single spaces.</param>
/// <param name="Segments">The segments in time order.</param>
internal sealed record Transcript(string Language, double Duration, string Text, IReadOnlyList<TranscriptSegment> Segments);

/// <summary>One stretch of speech with its text.</summary>
/// <param name="Start">Start in seconds.</param>
/// <param name="End">End in seconds.</param>
/// <param name="Text">The text, trimmed.</param>
/// <param name="NoSpeechProb">
/// Whisper's probability that the 30-second window holding this segment contains no speech;
/// <see langword="null"/> when the library does not report it.
/// </param>
/// <param name="Words">The words with their times; empty when word timestamps were off.</param>
internal sealed record TranscriptSegment(double Start, double End, string Text, double? NoSpeechProb, IReadOnlyList<TranscriptWord> Words);

/// <summary>One word.</summary>
/// <param name="Word">The word as transcribed, with attached punctuation, without surrounding spaces.</param>
/// <param name="Start">Start in seconds.</param>
/// <param name="End">End in seconds.</param>
/// <param name="Probability">The mean probability of the word's tokens, 0-1.</param>
internal sealed record TranscriptWord(string Word, double Start, double End, double Probability);
