using System.Globalization;
using System.Text;

namespace MediaWorker.Plugins.Speech.Transcripts;

/// <summary>Renders a transcript's segments as SubRip (.srt) and WebVTT (.vtt) subtitles.</summary>
internal static class SubtitleWriter
{
    /// <summary>SubRip: numbered cues, <c>HH:MM:SS,mmm</c> times, a blank line after each cue.</summary>
    public static string ToSrt(Transcript transcript)
    {
        var srt = new StringBuilder();
        var index = 1;
        foreach (var segment in Cues(transcript))
        {
            srt.Append(index++).Append('\n')
                .Append(Timestamp(segment.Start, ',')).Append(" --> ").Append(Timestamp(segment.End, ',')).Append('\n')
                .Append(segment.Text).Append("\n\n");
        }

        return srt.ToString();
    }

    /// <summary>WebVTT: the <c>WEBVTT</c> header, <c>HH:MM:SS.mmm</c> times, cue text escaped.</summary>
    public static string ToVtt(Transcript transcript)
    {
        var vtt = new StringBuilder("WEBVTT\n\n");
        foreach (var segment in Cues(transcript))
        {
            vtt.Append(Timestamp(segment.Start, '.')).Append(" --> ").Append(Timestamp(segment.End, '.')).Append('\n')
                .Append(EscapeVtt(segment.Text)).Append("\n\n");
        }

        return vtt.ToString();
    }

    /// <summary>Segments that make a cue: with text on one line (a blank line would end the cue), and an end after the start.</summary>
    private static IEnumerable<TranscriptSegment> Cues(Transcript transcript) =>
        transcript.Segments
            .Select(s => s with { Text = s.Text.ReplaceLineEndings(" ").Trim() })
            .Where(s => s.Text.Length > 0)
            .Select(s => s.End > s.Start ? s : s with { End = s.Start + 0.001 });

    private static string Timestamp(double seconds, char millisecondSeparator)
    {
        var ms = (long)Math.Round(Math.Max(0, seconds) * 1000, MidpointRounding.AwayFromZero);
        return string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00}{millisecondSeparator}{ms % 1000:000}");
    }

    // A cue payload must not contain "-->", and '&' and '<' start entities and tags in WebVTT.
    private static string EscapeVtt(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
}
