using System.Globalization;
using System.Text;

namespace MediaWorker.Plugins.Video.Streams;

/// <summary>
/// The ingest's segment list as CSV (<c>segments.csv</c> in the output folder), one row per
/// recorded segment, deleted ones included (<c>deleted</c> is <c>true</c>, <c>false</c>, or
/// <c>released</c> for a segment handed over to the host at the end, deleted once its follow-ups finished). Rewritten from the committed state after every
/// commit (to a temporary file, then renamed), so it never lists a segment the database does not have.
/// </summary>
internal static class SegmentCsv
{
    public const string FileName = "segments.csv";

    public const string Header = "index,file,start_seconds,duration_seconds,gap_before_seconds,audio_file,recorded_at,deleted";

    public static void Write(string path, IReadOnlyList<SegmentRecord> segments)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var s in segments)
        {
            text.Append(CultureInfo.InvariantCulture, $"{s.Index},{Quote(s.File)},{s.Start:0.000},{s.Duration:0.000},{s.GapBefore:0.000},{Quote(s.Audio ?? string.Empty)},")
                .Append(DateTimeOffset.FromUnixTimeMilliseconds(s.RecordedAtMs).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))
                .Append(s.Deleted ? ",true\n" : s.Released ? ",released\n" : ",false\n");
        }

        var partial = path + ".partial";
        File.WriteAllText(partial, text.ToString());
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.</summary>
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
