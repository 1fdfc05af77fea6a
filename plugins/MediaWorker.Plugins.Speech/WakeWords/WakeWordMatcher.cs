namespace MediaWorker.Plugins.Speech.WakeWords;

/// <summary>
/// Finds wake-word phrases in a transcript by fuzzy matching: the phrase's normalised words are
/// compared with every window of the transcript's normalised words of the phrase's length (and one
/// word shorter or longer, so "mediaworker" still matches "media worker"), as joined strings by
/// <see cref="Similarity.Ratio"/>. Windows at or above the threshold are matches; for each phrase
/// the best of overlapping windows wins.
/// </summary>
internal static class WakeWordMatcher
{
    /// <summary>The matches of every phrase, ordered by start time.</summary>
    /// <param name="words">The transcript as timed words (<see cref="TimedWord.From"/>).</param>
    /// <param name="phrases">The wake words as given.</param>
    /// <param name="minimumSimilarity">The threshold, 0-1.</param>
    public static List<WakeWordMatch> Find(IReadOnlyList<TimedWord> words, IReadOnlyList<string> phrases, double minimumSimilarity)
    {
        var matches = new List<WakeWordMatch>();
        foreach (var phrase in phrases.Distinct(StringComparer.Ordinal))
        {
            var target = TextNormalizer.Words(phrase);
            if (target.Count > 0)
            {
                matches.AddRange(FindPhrase(words, phrase, target, minimumSimilarity));
            }
        }

        return [.. matches.OrderBy(m => m.Start).ThenBy(m => m.WakeWord, StringComparer.Ordinal)];
    }

    private static IEnumerable<WakeWordMatch> FindPhrase(IReadOnlyList<TimedWord> words, string phrase, List<string> target, double minimumSimilarity)
    {
        var joinedTarget = string.Join(' ', target);
        var candidates = new List<(int First, int Count, double Score)>();
        for (var count = Math.Max(1, target.Count - 1); count <= target.Count + 1; count++)
        {
            for (var first = 0; first + count <= words.Count; first++)
            {
                var window = string.Join(' ', Enumerable.Range(first, count).Select(i => words[i].Text));
                var score = Similarity.Ratio(joinedTarget, window);
                if (score >= minimumSimilarity)
                {
                    candidates.Add((first, count, score));
                }
            }
        }

        // Best first; on a tie the window of the phrase's own length, then the earlier one.
        var taken = new bool[words.Count];
        foreach (var (first, count, score) in candidates
                     .OrderByDescending(c => c.Score)
                     .ThenBy(c => Math.Abs(c.Count - target.Count))
                     .ThenBy(c => c.First))
        {
            if (Enumerable.Range(first, count).Any(i => taken[i]))
            {
                continue;
            }

            for (var i = first; i < first + count; i++)
            {
                taken[i] = true;
            }

            yield return new WakeWordMatch(phrase, MatchedText(words, first, count), words[first].Start, words[first + count - 1].End, score);
        }
    }

    /// <summary>The transcript words behind a window, each once ("media-worker" yields two normalised words).</summary>
    private static string MatchedText(IReadOnlyList<TimedWord> words, int first, int count) =>
        string.Join(' ', words.Skip(first).Take(count).DistinctBy(w => w.Source).Select(w => w.SourceText));
}
