using System.Globalization;
using ImageMagick;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>
/// The 64-bit difference hash (dHash): the image, flattened onto white and shrunk to 9x8 grey pixels,
/// gives one bit per horizontally adjacent pair (left brighter than right). Re-encoding, resizing and
/// mild colour changes keep most bits; compare two hashes by their Hamming distance (about 10 or
/// fewer differing bits: likely the same picture).
/// </summary>
internal static class DifferenceHash
{
    public const int Width = 9;
    public const int Height = 8;

    /// <summary>The decode size worth asking for: no detail beyond this survives the 9x8 reduction.</summary>
    public const int DecodeSize = 64;

    /// <summary>Hashes <paramref name="image"/> (the image is changed).</summary>
    public static ulong Compute(IMagickImage<byte> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.HasAlpha)
        {
            image.BackgroundColor = MagickColors.White;
            image.Alpha(AlphaAction.Remove);
        }

        if (image.ColorSpace == ColorSpace.CMYK)
        {
            image.ColorSpace = ColorSpace.sRGB;
        }

        // A box filter averages every source pixel into the 9x8 cells, which is what makes the hash stable.
        image.FilterType = FilterType.Box;
        image.Resize(new MagickGeometry(Width, Height) { IgnoreAspectRatio = true });
        image.Grayscale(PixelIntensityMethod.Rec709Luma);
        using var pixels = image.GetPixelsUnsafe();
        var grey = pixels.ToByteArray(0, 0, Width, Height, "R")
            ?? throw new InvalidOperationException("ImageMagick returned no pixels for the 9x8 reduction.");
        ulong hash = 0;
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width - 1; x++)
            {
                hash <<= 1;
                if (grey[(y * Width) + x] > grey[(y * Width) + x + 1])
                {
                    hash |= 1;
                }
            }
        }

        return hash;
    }

    /// <summary>16 lower-case hex digits.</summary>
    public static string ToHex(ulong hash) => hash.ToString("x16", CultureInfo.InvariantCulture);
}
