using MediaWorker.Plugins.Speech.Transcripts;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>
/// Joins a segment's tokens into words the way OpenAI's Whisper does: a token that starts with a
/// space starts a new word (punctuation stays with the word before it), and for languages written
/// without spaces every character sequence is a word.
/// </summary>
/// <remarks>
/// A character split across tokens arrives as U+FFFD in each part. The segment's own text has the
/// character whole (whisper.cpp joins the bytes before decoding), so such a run of tokens takes its
/// text from the segment: from where the previous token ended to where the next intact token begins.
/// </remarks>
internal static class WordBuilder
{
    private const char Replacement = '\uFFFD';
    private static readonly HashSet<string> LanguagesWithoutSpaces = ["zh", "ja", "th", "lo", "my", "yue"];

    /// <summary>True when words of <paramref name="language"/> are not separated by spaces.</summary>
    public static bool SplitsOnCharacters(string language) => LanguagesWithoutSpaces.Contains(language);

    /// <summary>The words of one segment.</summary>
    /// <param name="segment">The segment with its tokens.</param>
    /// <param name="endOfTextToken">Token ids from this one up are special and carry no text.</param>
    /// <param name="splitOnCharacters">One word per character sequence (languages without spaces).</param>
    public static List<TranscriptWord> Build(WindowSegment segment, int endOfTextToken, bool splitOnCharacters)
    {
        var words = new List<TranscriptWord>();
        var text = new System.Text.StringBuilder();
        var probabilities = new List<double>();
        double start = 0, end = 0;
        foreach (var piece in Pieces(segment.Text, segment.Tokens.Where(t => t.Id < endOfTextToken).ToList()))
        {
            var startsWord = splitOnCharacters || (piece.Text.Length > 0 && piece.Text[0] == ' ');
            if (startsWord && text.Length > 0)
            {
                Flush();
            }

            if (text.Length == 0 && probabilities.Count == 0)
            {
                start = piece.Start;
            }

            text.Append(piece.Text);
            probabilities.AddRange(piece.Probabilities);
            end = Math.Max(end, piece.End);
        }

        Flush();
        return words;

        void Flush()
        {
            var word = text.ToString().Trim();
            if (word.Length > 0)
            {
                words.Add(new TranscriptWord(word, start, Math.Max(start, end), probabilities.Average()));
            }

            text.Clear();
            probabilities.Clear();
            end = 0;
        }
    }

    /// <summary>The tokens' texts with every run of broken parts replaced by the characters they make up.</summary>
    private static IEnumerable<Piece> Pieces(string segmentText, List<WindowToken> tokens)
    {
        var cursor = 0;
        var i = 0;
        while (i < tokens.Count)
        {
            var token = tokens[i];
            if (!token.Text.Contains(Replacement, StringComparison.Ordinal) && segmentText.AsSpan(cursor).StartsWith(token.Text, StringComparison.Ordinal))
            {
                yield return new Piece(token.Text, [token.Probability], token.Start, token.End);
                cursor += token.Text.Length;
                i++;
                continue;
            }

            var j = i + 1;
            while (j < tokens.Count && tokens[j].Text.Contains(Replacement, StringComparison.Ordinal))
            {
                j++;
            }

            var run = tokens.GetRange(i, j - i);
            var until = j < tokens.Count && cursor < segmentText.Length
                ? segmentText.IndexOf(tokens[j].Text, cursor + 1, StringComparison.Ordinal)
                : segmentText.Length;
            string whole;
            if (until > cursor)
            {
                whole = segmentText[cursor..until];
                cursor = until;
            }
            else
            {
                // The segment text does not line up with the tokens: keep what the tokens say.
                whole = string.Concat(run.Select(t => t.Text.Replace(Replacement.ToString(), string.Empty, StringComparison.Ordinal)));
            }

            yield return new Piece(whole, run.Select(t => t.Probability).ToList(), run[0].Start, run.Max(t => t.End));
            i = j;
        }
    }

    private sealed record Piece(string Text, IReadOnlyList<double> Probabilities, double Start, double End);
}
