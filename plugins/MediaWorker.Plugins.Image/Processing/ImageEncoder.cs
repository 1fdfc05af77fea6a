using MediaWorker.Plugins.Image.Formats;
using MediaWorker.Plugins.Image.Native;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>Prepares decoded frames for an output format and writes them to the output's scratch file.</summary>
internal static class ImageEncoder
{
    private const string FlattenBackground = "white";

    /// <summary>Encodes <paramref name="wand"/> as <paramref name="format"/>; returns the number of frames written.</summary>
    /// <param name="wand">The frames; the first is written alone unless the format keeps frames.</param>
    /// <param name="format">The output format.</param>
    /// <param name="quality">1-100, used by lossy formats only.</param>
    /// <param name="output">The output whose scratch file receives the bytes.</param>
    public static int Write(ImageWand wand, ImageFormat format, int quality, OutputFile output)
    {
        ArgumentNullException.ThrowIfNull(wand);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(output);
        var allFrames = format.HasFrames && wand.FrameCount > 1;
        if (!allFrames)
        {
            wand.SelectFrame(0);
            Prepare(wand, format, quality);
        }
        else
        {
            wand.ForEachFrame(frame => Prepare(frame, format, quality));
        }

        using (var file = output.CreateScratch())
        {
            wand.Write(file, allFrames);
        }

        return allFrames ? wand.FrameCount : 1;
    }

    private static void Prepare(ImageWand frame, ImageFormat format, int quality)
    {
        if (frame.Colorspace == ColorspaceType.CMYKColorspace)
        {
            // CMYK is only meaningful to JPEG and TIFF, and even there a viewer expects RGB for the web.
            frame.TransformColorspace(ColorspaceType.SRGBColorspace);
        }

        if (!format.HasAlpha && frame.HasAlpha)
        {
            frame.RemoveAlpha(FlattenBackground);
        }

        frame.SetFormat(format.Coder);
        if (format.IsLossy)
        {
            frame.SetQuality(quality);
        }
        else if (format == ImageFormat.Tiff)
        {
            frame.SetCompression(CompressionType.ZipCompression);
        }
    }
}
