using System.Globalization;

namespace MediaWorker.Plugins.Video.Streams;

/// <summary>
/// One line of the segment muxer's CSV list (<c>-segment_list_type csv</c>): the file name, its
/// start and its end in the session's timeline. ffmpeg writes it when the segment is complete.
/// </summary>
internal sealed record SegmentListLine(string FileName, long Index, double Start, double End)
{
    public const string FilePrefix = "segment_";

    public const string FileExtension = ".ts";

    /// <summary>The muxer's output pattern, relative to the segment folder.</summary>
    public static string Pattern => FilePrefix + "%06d" + FileExtension;

    public double Duration => Math.Max(0, End - Start);

    public static string FileNameOf(long index) => FilePrefix + index.ToString("000000", CultureInfo.InvariantCulture) + FileExtension;

    /// <summary>The segment number in a file name this ingest wrote, or <see langword="null"/> for any other name.</summary>
    public static long? IndexOf(string fileName) =>
        fileName.StartsWith(FilePrefix, StringComparison.Ordinal) && fileName.EndsWith(FileExtension, StringComparison.Ordinal)
        && long.TryParse(fileName.AsSpan(FilePrefix.Length, fileName.Length - FilePrefix.Length - FileExtension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : null;

    public static SegmentListLine? TryParse(string line)
    {
        // The name is ours (segment_NNNNNN.ts), so it holds no comma or quote that CSV would escape.
        var parts = line.Trim().Split(',');
        if (parts.Length != 3 || IndexOf(parts[0]) is not { } index
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var start)
            || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var end))
        {
            return null;
        }

        return new SegmentListLine(parts[0], index, start, end);
    }
}
