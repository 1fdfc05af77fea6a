using System.Collections.Concurrent;
using ImageMagick;

namespace MediaWorker.Plugins.Image.Formats;

/// <summary>
/// Whether this worker can write a format. HEIC and AVIF depend on libheif's encoders, which a
/// coder listing does not reveal (Magick.NET's libheif decodes HEIC but has no HEVC encoder), so each
/// is proven once by encoding a small image and checking the result's bytes.
/// </summary>
internal static class EncoderSupport
{
    private static readonly ConcurrentDictionary<ImageFormat, bool> Known = new();

    public static bool CanWrite(ImageFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        return !format.IsOptional || Known.GetOrAdd(format, Probe);
    }

    private static bool Probe(ImageFormat format)
    {
        try
        {
            using var image = new MagickImage(MagickColors.Gray, 16, 16);
            return FormatSniffer.Sniff(image.ToByteArray(format.Magick)).Format == format;
        }
        catch (MagickException)
        {
            return false;
        }
    }
}
