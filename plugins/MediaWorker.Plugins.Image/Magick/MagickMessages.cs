using System.Text.RegularExpressions;

namespace MediaWorker.Plugins.Image.Magick;

/// <summary>Makes ImageMagick's messages readable in a job's error.</summary>
internal static partial class MagickMessages
{
    private const string NoReason =
        "ImageMagick gave no reason (this usually means a resource limit or the security policy refused the image)";

    /// <summary>Strips source locations (" @ error/jpeg.c/ReadJPEGImage/1174") and empty filename quotes.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return NoReason;
        }

        var cleaned = SourceLocation().Replace(text, string.Empty);
        cleaned = EmptyQuote().Replace(cleaned, string.Empty).Trim();
        return cleaned.Length == 0 ? NoReason : cleaned;
    }

    [GeneratedRegex(@"\s*@\s*(error|warning|fatal)/\S+", RegexOptions.CultureInvariant)]
    private static partial Regex SourceLocation();

    [GeneratedRegex(@"\s*`'", RegexOptions.CultureInvariant)]
    private static partial Regex EmptyQuote();
}
