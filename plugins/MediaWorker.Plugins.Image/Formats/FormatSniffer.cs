using System.Buffers.Binary;
using System.Text;

namespace MediaWorker.Plugins.Image.Formats;

/// <summary>
/// Identifies a file from its first bytes, never from its name: the gate in front of ImageMagick, so
/// coders such as SVG, MVG, MSL, PS/EPS/PDF, TEXT or URL can never be reached from a job, whatever the
/// system policy.xml allows (the ImageTragick class of attacks).
/// </summary>
internal static class FormatSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> wants (more do no harm).</summary>
    public const int HeaderLength = 4096;

    private static readonly string[] HeicBrands = ["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1"];
    private static readonly string[] AvifBrands = ["avif", "avis"];

    public static SniffResult Sniff(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return SniffResult.Refused("empty");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return SniffResult.Image(ImageFormat.Jpeg);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return SniffResult.Image(ImageFormat.Png);
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return SniffResult.Image(ImageFormat.Gif);
        }

        if (head.StartsWith("RIFF"u8) && head.Length >= 12)
        {
            return Riff(head[8..12]);
        }

        if (IsBmp(head))
        {
            return SniffResult.Image(ImageFormat.Bmp);
        }

        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8) || head.StartsWith("II+\0"u8) || head.StartsWith("MM\0+"u8))
        {
            return SniffResult.Image(ImageFormat.Tiff);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x0A])
            || head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x00, 0x0C, (byte)'J', (byte)'X', (byte)'L', (byte)' ', 0x0D, 0x0A, 0x87, 0x0A]))
        {
            return SniffResult.Image(ImageFormat.Jxl);
        }

        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            return IsoMedia(head);
        }

        return NonImage(head);
    }

    private static SniffResult Riff(ReadOnlySpan<byte> form) => Encoding.ASCII.GetString(form) switch
    {
        "WEBP" => SniffResult.Image(ImageFormat.WebP),
        "AVI " => SniffResult.Video("avi", "an AVI video"),
        "WAVE" => SniffResult.Refused("WAV audio"),
        var other => SniffResult.Refused($"a RIFF '{other.Trim()}' file"),
    };

    private static bool IsBmp(ReadOnlySpan<byte> head)
    {
        // "BM" alone is too weak (plenty of text starts so): also require a known DIB header size.
        if (!head.StartsWith("BM"u8) || head.Length < 18)
        {
            return false;
        }

        var dibSize = BinaryPrimitives.ReadUInt32LittleEndian(head[14..18]);
        return dibSize is 12 or 16 or 40 or 52 or 56 or 64 or 108 or 124;
    }

    private static SniffResult IsoMedia(ReadOnlySpan<byte> head)
    {
        var boxSize = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(head[..4]), (uint)head.Length);
        var brands = new List<string> { Encoding.ASCII.GetString(head[8..12]) };
        for (var offset = 16; offset + 4 <= boxSize; offset += 4)
        {
            brands.Add(Encoding.ASCII.GetString(head.Slice(offset, 4)));
        }

        if (brands.Any(AvifBrands.Contains))
        {
            return SniffResult.Image(ImageFormat.Avif);
        }

        if (brands.Any(HeicBrands.Contains))
        {
            return SniffResult.Image(ImageFormat.Heic);
        }

        if (brands[0] is "M4A " or "M4B " or "M4P ")
        {
            return SniffResult.Refused("MPEG-4 audio");
        }

        return SniffResult.Video("mov", $"an MPEG-4/QuickTime video (brand '{brands[0].Trim()}')");
    }

    private static SniffResult NonImage(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return SniffResult.Video("matroska", "a Matroska/WebM video");
        }

        if (head.StartsWith("FLV\u0001"u8))
        {
            return SniffResult.Video("flv", "an FLV video");
        }

        if (head.Length > 376 && head[0] == 0x47 && head[188] == 0x47 && head[376] == 0x47)
        {
            return SniffResult.Video("mpegts", "an MPEG transport stream");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x01, 0xBA]))
        {
            return SniffResult.Video("mpeg", "an MPEG program stream");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xC5, 0xD0, 0xD3, 0xC6]))
        {
            return SniffResult.Refused("EPS (PostScript)");
        }

        return SniffResult.Refused(DescribeText(head));
    }

    private static string DescribeText(ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.StartsWith("%!", StringComparison.Ordinal))
        {
            return "PostScript";
        }

        if (text.StartsWith("%PDF", StringComparison.Ordinal))
        {
            return "a PDF document";
        }

        if (text.Contains("<svg", StringComparison.OrdinalIgnoreCase))
        {
            return "an SVG drawing";
        }

        if (text.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase) || text.StartsWith('<'))
        {
            return "XML or HTML (ImageMagick would treat it as MSL or SVG)";
        }

        if (text.Contains("graphic-context", StringComparison.OrdinalIgnoreCase) || text.StartsWith("viewbox", StringComparison.OrdinalIgnoreCase))
        {
            return "an MVG drawing";
        }

        var printable = head.Length > 0 && head.ToArray().All(b => b is >= 0x20 or (byte)'\n' or (byte)'\r' or (byte)'\t');
        return printable ? "plain text" : "an unrecognised binary format";
    }
}
