using MediaWorker.Plugins.Speech.Transcripts;

namespace MediaWorker.Plugins.Speech.Tests.Support;

/// <summary>Builds transcripts for matching tests: each word gets 0.5 s, segments follow each other.</summary>
internal static class TestTranscripts
{
    /// <summary>One segment per string; words 0.5 s apart from <paramref name="start"/>.</summary>
    public static Transcript Of(params string[] segments) => Of(0, segments);

    public static Transcript Of(double start, params string[] segments)
    {
        var at = start;
        var built = new List<TranscriptSegment>();
        foreach (var text in segments)
        {
            var words = new List<TranscriptWord>();
            var segmentStart = at;
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                words.Add(new TranscriptWord(word, at, at + 0.4, 0.9));
                at += 0.5;
            }

            built.Add(new TranscriptSegment(segmentStart, at, text, 0.01, words));
        }

        return new Transcript("en", at + 1, string.Join(' ', segments), built);
    }
}
