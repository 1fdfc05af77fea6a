using System.Globalization;
using System.Text.RegularExpressions;

namespace MediaWorker.Plugins.Gemini.Transcripts;

/// <summary>The seed's "MM:SS" timestamps (minutes may exceed 59 for long media).</summary>
internal static partial class Timestamp
{
    /// <summary>The pattern sent in response schemas and checked on answers.</summary>
    public const string Pattern = "^[0-9]{1,4}:[0-5][0-9]$";

    public static string Format(double seconds)
    {
        var whole = (int)Math.Max(0, Math.Floor(seconds));
        return string.Create(CultureInfo.InvariantCulture, $"{whole / 60:00}:{whole % 60:00}");
    }

    /// <summary>Parses "MM:SS" to seconds; <see langword="null"/> when it is not in that form.</summary>
    public static double? Parse(string text)
    {
        var match = TimestampRegex().Match(text);
        return match.Success
            ? (int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) * 60) + int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture)
            : null;
    }

    [GeneratedRegex("^([0-9]{1,4}):([0-5][0-9])$")]
    private static partial Regex TimestampRegex();
}
