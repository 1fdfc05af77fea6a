using MediaWorker.Plugins.Speech.Transcripts;

namespace MediaWorker.Plugins.Speech.WakeWords;

/// <summary>One normalised word of a transcript with its time, and the transcript word it came from.</summary>
/// <param name="Text">The normalised word.</param>
/// <param name="Start">Start in seconds.</param>
/// <param name="End">End in seconds.</param>
/// <param name="Source">The index of the transcript word it came from ("media-worker" gives two words with one source).</param>
/// <param name="SourceText">That transcript word as written.</param>
internal sealed record TimedWord(string Text, double Start, double End, int Source, string SourceText)
{
    /// <summary>
    /// Flattens a transcript into one stream of timed words across all segments, so a phrase split
    /// over two segments is still one window. Segments without word timings (word_timestamps off)
    /// spread their text over the segment's time in proportion to the characters.
    /// </summary>
    public static List<TimedWord> From(Transcript transcript)
    {
        var words = new List<TimedWord>();
        var source = 0;
        foreach (var segment in transcript.Segments)
        {
            var spoken = segment.Words.Count > 0 ? segment.Words : Interpolate(segment);
            foreach (var word in spoken)
            {
                foreach (var text in TextNormalizer.Words(word.Word))
                {
                    words.Add(new TimedWord(text, word.Start, word.End, source, word.Word));
                }

                source++;
            }
        }

        return words;
    }

    private static List<TranscriptWord> Interpolate(TranscriptSegment segment)
    {
        var parts = segment.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var characters = Math.Max(1, parts.Sum(p => p.Length));
        var perCharacter = Math.Max(0, segment.End - segment.Start) / characters;
        var result = new List<TranscriptWord>(parts.Length);
        var at = segment.Start;
        foreach (var part in parts)
        {
            var end = at + (part.Length * perCharacter);
            result.Add(new TranscriptWord(part, at, end, 1.0));
            at = end;
        }

        return result;
    }
}
