using System.Text.RegularExpressions;

namespace MediaWorker.Ffmpeg.Inputs.References;

/// <summary>
/// The files an HLS playlist names: every URI line (segments, variant playlists) and every
/// <c>URI="..."</c> attribute (keys, init sections, renditions, i-frame playlists).
/// </summary>
internal static partial class HlsPlaylistReferences
{
    /// <summary>The first bytes of every playlist; ffmpeg's hls demuxer requires them too.</summary>
    public const string Signature = "#EXTM3U";

    public static IEnumerable<string> Read(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (!line.StartsWith('#'))
            {
                yield return line;
                continue;
            }

            foreach (Match uri in UriAttribute().Matches(line))
            {
                yield return uri.Groups[1].Value;
            }
        }
    }

    [GeneratedRegex("URI=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex UriAttribute();
}
