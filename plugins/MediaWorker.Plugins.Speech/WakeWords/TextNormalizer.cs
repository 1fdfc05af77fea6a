using System.Text;

namespace MediaWorker.Plugins.Speech.WakeWords;

/// <summary>
/// Reduces text to comparable words: lower case, apostrophes dropped ("don't" → "dont"), every
/// other character that is not a letter or digit a word break ("media-worker," → "media",
/// "worker"). Accents are kept: the daemon runs without ICU, and the fuzzy match absorbs one
/// differing letter anyway.
/// </summary>
internal static class TextNormalizer
{
    /// <summary>The normalised words of <paramref name="text"/>, in order.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (c is '\'' or '\u2019' or '\u02bc')
            {
                // "don't", "it’s": the apostrophe joins, it does not split.
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
