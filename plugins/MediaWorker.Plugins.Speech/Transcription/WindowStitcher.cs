using System.Text;
using MediaWorker.Plugins.Speech.Transcripts;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>The segments one window produced.</summary>
/// <param name="Window">The window.</param>
/// <param name="Segments">Its segments, times already in seconds from the start of the input.</param>
internal sealed record WindowResult(AudioWindow Window, IReadOnlyList<WindowSegment> Segments);

/// <summary>
/// Joins the windows of one input into one transcript. Neighbouring windows overlap, so a word near
/// a cut is heard by both: each word is kept from the one window whose keep range holds its start,
/// which leaves no word twice and none out. A segment that reaches across a cut keeps only its own
/// side's words (its text and times follow them); a segment without words goes by its midpoint.
/// </summary>
internal static class WindowStitcher
{
    /// <param name="windows">The windows in order.</param>
    /// <param name="endOfTextToken">The model's end-of-text token (special tokens are not words).</param>
    /// <param name="language">The transcript's language code.</param>
    /// <param name="duration">The input's real duration: times in the padding are clamped to it.</param>
    /// <param name="wordTimestamps">Whether the transcript lists words.</param>
    public static Transcript Stitch(IReadOnlyList<WindowResult> windows, int endOfTextToken, string language, double duration, bool wordTimestamps)
    {
        var splitOnCharacters = WordBuilder.SplitsOnCharacters(language);
        var segments = new List<TranscriptSegment>();
        var text = new StringBuilder();
        foreach (var (window, windowSegments) in windows)
        {
            foreach (var segment in windowSegments)
            {
                var words = WordBuilder.Build(segment, endOfTextToken, splitOnCharacters);
                var kept = words.Where(w => window.Keeps(w.Start)).ToList();
                string rawText;
                double start, end;
                if (words.Count == 0)
                {
                    if (!window.Keeps((segment.Start + segment.End) / 2))
                    {
                        continue;
                    }

                    (rawText, start, end) = (segment.Text, segment.Start, segment.End);
                }
                else if (kept.Count == 0)
                {
                    continue;
                }
                else if (kept.Count == words.Count)
                {
                    (rawText, start, end) = (segment.Text, segment.Start, segment.End);
                }
                else
                {
                    var separator = splitOnCharacters ? string.Empty : " ";
                    rawText = separator + string.Join(separator, kept.Select(w => w.Word));
                    start = kept[0] == words[0] ? segment.Start : kept[0].Start;
                    end = kept[^1] == words[^1] ? segment.End : kept[^1].End;
                }

                text.Append(rawText);
                var clampedStart = Clamp(start, duration);
                segments.Add(new TranscriptSegment(
                    clampedStart,
                    Math.Max(clampedStart, Clamp(end, duration)),
                    rawText.Trim(),
                    segment.NoSpeechProb,
                    wordTimestamps ? kept.Select(w => Clamped(w, duration)).ToList() : []));
            }
        }

        return new Transcript(language, duration, text.ToString().Trim(), segments);
    }

    private static TranscriptWord Clamped(TranscriptWord word, double duration)
    {
        var start = Clamp(word.Start, duration);
        return word with { Start = start, End = Math.Max(start, Clamp(word.End, duration)) };
    }

    private static double Clamp(double seconds, double duration) => Math.Clamp(Math.Round(seconds, 3), 0, duration);
}
