using System.Buffers.Binary;

namespace MediaWorker.Plugins.Image.Formats;

/// <summary>
/// Reads the pixel size an image's header declares, without decoding anything, so a decompression
/// bomb (a tiny PNG declaring 50000x50000) is refused before ImageMagick allocates for it. IM6 itself
/// fails such a file without any message, which a producer could not act on.
/// </summary>
internal static class DeclaredSize
{
    /// <summary>How many leading bytes are enough for the headers of the allowed formats in practice.</summary>
    public const int HeaderLength = 256 * 1024;

    /// <summary>The declared (width, height), or <see langword="null"/> when the header does not say within <paramref name="head"/>.</summary>
    public static (long Width, long Height)? Read(ReadOnlySpan<byte> head, ImageFormat format)
    {
        try
        {
            return format.Coder switch
            {
                "PNG" when head.Length >= 24 => (BinaryPrimitives.ReadUInt32BigEndian(head[16..20]), BinaryPrimitives.ReadUInt32BigEndian(head[20..24])),
                "GIF" when head.Length >= 10 => (BinaryPrimitives.ReadUInt16LittleEndian(head[6..8]), BinaryPrimitives.ReadUInt16LittleEndian(head[8..10])),
                "BMP" => Bmp(head),
                "JPEG" => Jpeg(head),
                "WEBP" => WebP(head),
                "TIFF" => Tiff(head),
                "HEIC" or "AVIF" => Ispe(head),
                _ => null,
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            // A header cut short inside the buffer: let ImageMagick's own checks decide.
            return null;
        }
    }

    private static (long, long)? Bmp(ReadOnlySpan<byte> head)
    {
        if (head.Length < 26)
        {
            return null;
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(head[14..18]) == 12
            ? (BinaryPrimitives.ReadUInt16LittleEndian(head[18..20]), BinaryPrimitives.ReadUInt16LittleEndian(head[20..22]))
            : (Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(head[18..22])), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(head[22..26])));
    }

    private static (long, long)? Jpeg(ReadOnlySpan<byte> head)
    {
        var pos = 2;
        while (pos + 9 < head.Length)
        {
            if (head[pos] != 0xFF)
            {
                return null;
            }

            var marker = head[pos + 1];
            if (marker == 0xFF)
            {
                pos++; // fill byte
                continue;
            }

            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(head.Slice(pos + 7, 2)), BinaryPrimitives.ReadUInt16BigEndian(head.Slice(pos + 5, 2)));
            }

            pos += marker is 0x01 or (>= 0xD0 and <= 0xD8) ? 2 : 2 + BinaryPrimitives.ReadUInt16BigEndian(head.Slice(pos + 2, 2));
        }

        return null;
    }

    private static (long, long)? WebP(ReadOnlySpan<byte> head)
    {
        if (head.Length < 30)
        {
            return null;
        }

        var chunk = head[12..16];
        if (chunk.SequenceEqual("VP8X"u8))
        {
            return (ReadUInt24(head[24..27]) + 1, ReadUInt24(head[27..30]) + 1);
        }

        if (chunk.SequenceEqual("VP8 "u8))
        {
            return (BinaryPrimitives.ReadUInt16LittleEndian(head[26..28]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(head[28..30]) & 0x3FFF);
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(head[21..25]);
            return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
        }

        return null;
    }

    private static (long, long)? Tiff(ReadOnlySpan<byte> head)
    {
        var little = head[0] == (byte)'I';
        if (head[2] != 42 && head[3] != 42)
        {
            return null; // BigTIFF: leave it to ImageMagick's checks
        }

        var ifd = (int)U32(head, 4, little);
        var count = U16(head, ifd, little);
        long? width = null, height = null;
        for (var i = 0; i < count; i++)
        {
            var entry = ifd + 2 + (i * 12);
            var tag = U16(head, entry, little);
            var type = U16(head, entry + 2, little);
            long value = type == 3 ? U16(head, entry + 8, little) : U32(head, entry + 8, little);
            if (tag == 256)
            {
                width = value;
            }
            else if (tag == 257)
            {
                height = value;
            }
        }

        return width is { } w && height is { } h ? (w, h) : null;
    }

    private static (long, long)? Ispe(ReadOnlySpan<byte> head)
    {
        // The image spatial extents property: size, 'ispe', version/flags, width, height (all 32-bit big-endian).
        // The largest one is the coded size (whole HEVC/AV1 blocks), an upper bound of the displayed size.
        (long, long)? largest = null;
        var from = 0;
        int at;
        while ((at = head[from..].IndexOf("ispe"u8)) >= 0)
        {
            var start = from + at + 8;
            if (start + 8 > head.Length)
            {
                break;
            }

            var size = ((long)BinaryPrimitives.ReadUInt32BigEndian(head.Slice(start, 4)), (long)BinaryPrimitives.ReadUInt32BigEndian(head.Slice(start + 4, 4)));
            if (largest is null || size.Item1 * size.Item2 > largest.Value.Item1 * largest.Value.Item2)
            {
                largest = size;
            }

            from = start;
        }

        return largest;
    }

    private static long ReadUInt24(ReadOnlySpan<byte> b) => b[0] | (b[1] << 8) | (b[2] << 16);

    private static int U16(ReadOnlySpan<byte> head, int offset, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(head.Slice(offset, 2)) : BinaryPrimitives.ReadUInt16BigEndian(head.Slice(offset, 2));

    private static uint U32(ReadOnlySpan<byte> head, int offset, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(offset, 4)) : BinaryPrimitives.ReadUInt32BigEndian(head.Slice(offset, 4));
}
