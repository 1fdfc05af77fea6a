namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>One token whisper.cpp decoded, with times in seconds from the start of the input.</summary>
/// <param name="Id">The token id: at or above the model's end-of-text token it is special (timestamps, language, task).</param>
/// <param name="Text">
/// The token's text. A token may hold part of a multi-byte character (Chinese, Japanese, emoji);
/// Whisper.net decodes each token on its own, so such a part arrives as U+FFFD.
/// </param>
/// <param name="Probability">The token's probability.</param>
/// <param name="Start">Start in seconds.</param>
/// <param name="End">End in seconds.</param>
internal sealed record WindowToken(int Id, string Text, double Probability, double Start, double End);

/// <summary>One segment of one window, with times in seconds from the start of the input.</summary>
/// <param name="Start">Start in seconds.</param>
/// <param name="End">End in seconds.</param>
/// <param name="Text">The segment's text as whisper.cpp joined it from its tokens' bytes (whole characters, leading space kept).</param>
/// <param name="NoSpeechProb">Whisper's probability that the window has no speech.</param>
/// <param name="Tokens">Its tokens, special ones included.</param>
internal sealed record WindowSegment(double Start, double End, string Text, double NoSpeechProb, IReadOnlyList<WindowToken> Tokens);
