using System.Buffers.Binary;
using System.Text;

namespace MediaWorker.Plugins.Image.Tests.Support;

/// <summary>
/// Builds an EXIF APP1 segment (big-endian TIFF structure) and splices it into a JPEG after SOI, so
/// tests control orientation, camera, exposure and GPS exactly without exiftool.
/// </summary>
public static class ExifSegment
{
    public static void Insert(string jpegPath, int orientation, bool withCameraTags)
    {
        var jpeg = File.ReadAllBytes(jpegPath);
        var tiff = BuildTiff(orientation, withCameraTags);
        var segment = new byte[4 + 6 + tiff.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(2 + 6 + tiff.Length));
        "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
        tiff.CopyTo(segment, 10);
        File.WriteAllBytes(jpegPath, [.. jpeg[..2], .. segment, .. jpeg[2..]]);
    }

    private static byte[] BuildTiff(int orientation, bool withCameraTags)
    {
        var ifd0 = new List<Entry> { new(0x0112, 3, 1, U16((ushort)orientation)) };
        var exif = new List<Entry>();
        var gps = new List<Entry>();
        if (withCameraTags)
        {
            ifd0.Add(new Entry(0x010F, 2, 0, Ascii("TestCam")));
            ifd0.Add(new Entry(0x0110, 2, 0, Ascii("Model X100")));
            exif.Add(new Entry(0x829A, 5, 1, Rationals((1, 250))));          // ExposureTime
            exif.Add(new Entry(0x829D, 5, 1, Rationals((28, 10))));          // FNumber
            exif.Add(new Entry(0x8827, 3, 1, U16(400)));                     // ISO
            exif.Add(new Entry(0x9003, 2, 0, Ascii("2024:05:17 14:30:05"))); // DateTimeOriginal
            exif.Add(new Entry(0x920A, 5, 1, Rationals((50, 1))));           // FocalLength
            gps.Add(new Entry(0x0001, 2, 0, Ascii("N")));
            gps.Add(new Entry(0x0002, 5, 3, Rationals((52, 1), (31, 1), (1234, 100))));
            gps.Add(new Entry(0x0003, 2, 0, Ascii("W")));
            gps.Add(new Entry(0x0004, 5, 3, Rationals((13, 1), (24, 1), (3000, 100))));
            gps.Add(new Entry(0x0006, 5, 1, Rationals((345, 10))));
        }

        // Layout: header(8) | IFD0 | Exif IFD | GPS IFD | values
        var hasSubIfds = exif.Count > 0;
        var ifd0Count = ifd0.Count + (hasSubIfds ? 2 : 0);
        var ifd0Size = IfdSize(ifd0Count);
        var exifOffset = 8 + ifd0Size;
        var gpsOffset = exifOffset + (hasSubIfds ? IfdSize(exif.Count) : 0);
        var valuesOffset = gpsOffset + (hasSubIfds ? IfdSize(gps.Count) : 0);
        if (hasSubIfds)
        {
            ifd0.Add(new Entry(0x8769, 4, 1, U32((uint)exifOffset)));
            ifd0.Add(new Entry(0x8825, 4, 1, U32((uint)gpsOffset)));
        }

        var values = new MemoryStream();
        var buffer = new MemoryStream();
        buffer.Write("MM\0*"u8);
        buffer.Write(U32(8));
        WriteIfd(buffer, ifd0, values, valuesOffset);
        if (hasSubIfds)
        {
            WriteIfd(buffer, exif, values, valuesOffset);
            WriteIfd(buffer, gps, values, valuesOffset);
        }

        values.Position = 0;
        values.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static int IfdSize(int count) => 2 + (12 * count) + 4;

    private static void WriteIfd(MemoryStream buffer, List<Entry> entries, MemoryStream values, int valuesOffset)
    {
        buffer.Write(U16((ushort)entries.Count));
        foreach (var entry in entries.OrderBy(e => e.Tag))
        {
            buffer.Write(U16(entry.Tag));
            buffer.Write(U16(entry.Type));
            var count = entry.Type == 2 ? (uint)entry.Value.Length : entry.Count;
            buffer.Write(U32(count));
            if (entry.Value.Length <= 4)
            {
                var inline = new byte[4];
                entry.Value.CopyTo(inline, 0);
                buffer.Write(inline);
            }
            else
            {
                buffer.Write(U32((uint)(valuesOffset + values.Length)));
                values.Write(entry.Value);
            }
        }

        buffer.Write(U32(0));
    }

    private static byte[] U16(ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        return b;
    }

    private static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s + "\0");

    private static byte[] Rationals(params (uint N, uint D)[] values) => values.SelectMany(v => U32(v.N).Concat(U32(v.D))).ToArray();

    private sealed record Entry(ushort Tag, ushort Type, uint Count, byte[] Value);
}
