using System.Globalization;
using System.Text;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary>
/// Writes a WebVTT thumbnails track: one cue per thumbnail whose text is the sheet's file name with
/// a <c>#xywh=x,y,w,h</c> fragment, the format players (Video.js, JW Player, Plyr, ...) read for scrub previews.
/// </summary>
internal static class WebVttThumbnails
{
    public sealed record Cue(TimeSpan Start, TimeSpan End, string Sheet, int X, int Y, int Width, int Height);

    public static string Write(IEnumerable<Cue> cues)
    {
        var text = new StringBuilder("WEBVTT\n");
        foreach (var cue in cues)
        {
            text.Append('\n')
                .Append(Timestamp(cue.Start)).Append(" --> ").Append(Timestamp(cue.End)).Append('\n')
                .Append(CultureInfo.InvariantCulture, $"{Uri.EscapeDataString(cue.Sheet)}#xywh={cue.X},{cue.Y},{cue.Width},{cue.Height}\n");
        }

        return text.ToString();
    }

    /// <summary>hh:mm:ss.ttt, the form WebVTT requires (hours may exceed 99).</summary>
    public static string Timestamp(TimeSpan value)
    {
        var ms = (long)Math.Round(value.TotalMilliseconds);
        return string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00}.{ms % 1000:000}");
    }
}
