using System.Buffers.Binary;

namespace MediaWorker.Plugins.Video.Imaging;

/// <summary>
/// Reads the pixel size from a JPEG or PNG header, so outputs report the size ffmpeg actually wrote
/// (after rotation and scaling) without another process per image.
/// </summary>
internal static class ImageDimensions
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) Read(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> header = stackalloc byte[24];
        var read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read >= 24 && header[..8].SequenceEqual(PngSignature))
        {
            // IHDR is always the first chunk: width and height are big-endian at offsets 16 and 20.
            return (BinaryPrimitives.ReadInt32BigEndian(header[16..]), BinaryPrimitives.ReadInt32BigEndian(header[20..]));
        }

        if (read >= 2 && header[0] == 0xFF && header[1] == 0xD8)
        {
            return ReadJpeg(file);
        }

        throw new InvalidDataException($"'{path}' is neither a PNG nor a JPEG.");
    }

    private static (int Width, int Height) ReadJpeg(FileStream file)
    {
        // Walk the markers after SOI until a start-of-frame (SOF0-SOF15 except DHT/JPG/DAC).
        file.Position = 2;
        Span<byte> marker = stackalloc byte[4];
        Span<byte> frame = stackalloc byte[5];
        while (file.ReadAtLeast(marker, 4, throwOnEndOfStream: false) == 4)
        {
            if (marker[0] != 0xFF)
            {
                break;
            }

            var type = marker[1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(marker[2..]);
            if (type is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                file.ReadExactly(frame);
                return (BinaryPrimitives.ReadUInt16BigEndian(frame[3..]), BinaryPrimitives.ReadUInt16BigEndian(frame[1..]));
            }

            file.Position += length - 2;
        }

        throw new InvalidDataException($"'{file.Name}' is a JPEG without a frame header.");
    }
}
