using System.Text;
using MediaWorker.Plugins.Speech.Transcripts;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>One text token of a segment: its raw UTF-8 bytes (a token may hold part of a character).</summary>
/// <param name="Utf8">The token's bytes as whisper.cpp's vocabulary has them.</param>
/// <param name="Probability">The token's probability.</param>
/// <param name="Start">Start in seconds.</param>
/// <param name="End">End in seconds.</param>
internal sealed record TextToken(byte[] Utf8, double Probability, double Start, double End);

/// <summary>
/// Joins a segment's tokens into words the way OpenAI's Whisper does: a token that starts with a
/// space starts a new word (punctuation stays with the word before it), and for languages written
/// without spaces every complete character sequence is a word.
/// </summary>
internal static class WordBuilder
{
    private static readonly HashSet<string> LanguagesWithoutSpaces = ["zh", "ja", "th", "lo", "my", "yue"];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>True when words of <paramref name="language"/> are not separated by spaces.</summary>
    public static bool SplitsOnCharacters(string language) => LanguagesWithoutSpaces.Contains(language);

    /// <summary>The words of one segment.</summary>
    public static List<TranscriptWord> Build(IReadOnlyList<TextToken> tokens, bool splitOnCharacters)
    {
        var words = new List<TranscriptWord>();
        var bytes = new List<byte>();
        var probabilities = new List<double>();
        double start = 0, end = 0;

        foreach (var token in tokens)
        {
            var startsWord = splitOnCharacters ? IsCompleteUtf8(bytes) : token.Utf8.Length > 0 && token.Utf8[0] == (byte)' ';
            if (startsWord && bytes.Count > 0)
            {
                Flush();
            }

            if (bytes.Count == 0)
            {
                start = token.Start;
            }

            bytes.AddRange(token.Utf8);
            probabilities.Add(token.Probability);
            end = Math.Max(end, token.End);
        }

        Flush();
        return words;

        void Flush()
        {
            var text = Encoding.UTF8.GetString(bytes.ToArray()).Trim();
            if (text.Length > 0)
            {
                words.Add(new TranscriptWord(text, start, Math.Max(start, end), probabilities.Average()));
            }

            bytes.Clear();
            probabilities.Clear();
            end = 0;
        }
    }

    private static bool IsCompleteUtf8(List<byte> bytes)
    {
        if (bytes.Count == 0)
        {
            return false;
        }

        try
        {
            StrictUtf8.GetCharCount(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
