using System.Collections.Concurrent;
using MediaWorker.Plugins.Image.Native;

namespace MediaWorker.Plugins.Image.Formats;

/// <summary>
/// Whether this ImageMagick can write a format. HEIC and AVIF depend on libheif and its encoder
/// plug-ins, which a coder listing does not reveal, so each is proven once by encoding a small image
/// and checking the result's bytes.
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
        if (!MagickRuntime.HasCoder(format.Coder))
        {
            return false;
        }

        try
        {
            using var wand = ImageWand.CreateBlank(16, 16, "gray");
            wand.SetFormat(format.Coder);
            var blob = wand.ToBlob();
            return FormatSniffer.Sniff(blob).Format == format;
        }
        catch (MagickException)
        {
            return false;
        }
    }
}
