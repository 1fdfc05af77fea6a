using ImageMagick;
using MediaWorker.Plugins.Image.Formats;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>Prepares decoded frames for an output format and writes them to the output's scratch file.</summary>
internal static class ImageEncoder
{
    /// <summary>Encodes <paramref name="images"/> as <paramref name="format"/>; returns the number of frames written.</summary>
    /// <param name="images">The frames; the first is written alone unless the format keeps frames.</param>
    /// <param name="format">The output format.</param>
    /// <param name="quality">1-100, used by lossy formats only.</param>
    /// <param name="sourceDepth">The input's bits per sample: a 16-bit input stays 16-bit where the format can hold it.</param>
    /// <param name="output">The output whose scratch file receives the bytes.</param>
    public static int Write(MagickImageCollection images, ImageFormat format, int quality, int sourceDepth, OutputFile output)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(output);
        var allFrames = format.HasFrames && images.Count > 1;
        var frames = allFrames ? images.ToList() : [images[0]];
        foreach (var frame in frames)
        {
            Prepare(frame, format, quality, sourceDepth);
        }

        // Read and write: libtiff reads its directories back when it links the next page of a
        // multi-page TIFF, and fails on a write-only file ("Error fetching directory count").
        using (var file = output.CreateScratch())
        {
            if (allFrames)
            {
                images.Write(file, format.Magick);
            }
            else
            {
                images[0].Write(file, format.Magick);
            }
        }

        return frames.Count;
    }

    private static void Prepare(IMagickImage<byte> frame, ImageFormat format, int quality, int sourceDepth)
    {
        if (frame.ColorSpace == ColorSpace.CMYK)
        {
            // CMYK is only meaningful to JPEG and TIFF, and even there a viewer expects RGB for the web.
            frame.ColorSpace = ColorSpace.sRGB;
        }

        if (!format.HasAlpha && frame.HasAlpha)
        {
            frame.BackgroundColor = MagickColors.White;
            frame.Alpha(AlphaAction.Remove);
        }

        if (format.IsLossy)
        {
            frame.Quality = (uint)quality;
        }
        else if (format == ImageFormat.Tiff)
        {
            frame.Settings.Compression = CompressionMethod.Zip;
        }

        if (format.KeepsSixteenBits && sourceDepth > 8)
        {
            // Q8 keeps 8 bits per sample in memory; the file still gets 16 (each value scaled up), so a
            // 16-bit PNG or TIFF stays 16-bit for the tools downstream. Q8's PNG encoder writes 8 unless told.
            frame.Depth = 16;
            frame.Settings.SetDefine(MagickFormat.Png, "bit-depth", "16");
        }
    }
}
