using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary>One rendition of an HLS ladder: a name (its folder), a frame size and a video bit rate in kbit/s.</summary>
internal sealed record HlsVariant(string Name, int Width, int Height, int KilobitsPerSecond)
{
    /// <summary>The seed's ladder: 720p at 3500k, 480p at 1500k, 240p at 800k.</summary>
    public static readonly (int ShortSide, int Kbps)[] DefaultLadder = [(720, 3500), (480, 1500), (240, 800)];

    /// <summary>
    /// Sizes a "720p"-style tier for a source of <paramref name="width"/>x<paramref name="height"/>
    /// (as displayed): the number is the short side, so a portrait phone video's 720p is 720 wide.
    /// </summary>
    public static HlsVariant ForTier(int shortSide, int kbps, int width, int height)
    {
        var landscape = width >= height;
        var longSide = Even((landscape ? width : height) * (double)shortSide / (landscape ? height : width));
        return landscape
            ? new HlsVariant($"{shortSide}p", longSide, Even(shortSide), kbps)
            : new HlsVariant($"{shortSide}p", Even(shortSide), longSide, kbps);
    }

    /// <summary>Reads the <c>variants</c> parameter: [{"resolution": "720p", "bitrate": "3500k"}, ...].</summary>
    public static List<(int ShortSide, int Kbps)> ReadLadder(JsonArray? variants)
    {
        if (variants is null)
        {
            return [.. DefaultLadder];
        }

        var ladder = new List<(int, int)>();
        foreach (var item in variants)
        {
            if (item is not JsonObject variant
                || variant["resolution"] is not JsonValue resolutionValue || !resolutionValue.TryGetValue<string>(out var resolution)
                || variant["bitrate"] is not JsonValue bitrateValue || !bitrateValue.TryGetValue<string>(out var bitrate)
                || !int.TryParse(resolution.TrimEnd('p'), NumberStyles.None, CultureInfo.InvariantCulture, out var side) || !resolution.EndsWith('p')
                || Kilobits(bitrate) is not { } kbps)
            {
                throw JobParameters.Invalid("variants", "must be a list of {\"resolution\": \"720p\", \"bitrate\": \"3500k\"} objects");
            }

            if (side is < 16 or > 4320)
            {
                throw JobParameters.Invalid("variants", $"has resolution '{resolution}', outside 16p-4320p");
            }

            if (ladder.Any(l => l.Item1 == side))
            {
                throw JobParameters.Invalid("variants", $"lists {resolution} twice");
            }

            ladder.Add((side, kbps));
        }

        return ladder;
    }

    /// <summary>"3500k" or "3.5M" in kbit/s; null when it is neither.</summary>
    public static int? Kilobits(string bitrate)
    {
        var scale = bitrate.EndsWith('M') ? 1000.0 : bitrate.EndsWith('k') ? 1.0 : 0.001;
        var number = bitrate.TrimEnd('k', 'M');
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value * scale is >= 16 and <= 500_000
            ? (int)Math.Round(value * scale)
            : null;
    }

    private static int Even(double value) => Math.Max(2, (int)Math.Round(value / 2) * 2);
}
