using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Image.Tests.Support;
using NUnit.Framework;
using static MediaWorker.Plugins.Image.Tests.ImageTestEnvironment;

namespace MediaWorker.Plugins.Image.Tests.Tasks;

/// <summary>
/// Hostile files and paths (issue 13): each fails the job permanently with a message naming the
/// problem, writes nothing, and the very next image still works.
/// </summary>
public sealed class HostileInputTests
{
    private const string SvgReadingAFile = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"64\" height=\"64\">"
        + "<image xlink:href=\"file:///etc/passwd\" width=\"64\" height=\"64\"/></svg>\n";

    private const string Msl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<image>\n<read filename=\"/etc/passwd\" />\n<write filename=\"/tmp/leak.png\" />\n</image>\n";

    [TestCase("file-url.svg")]
    [TestCase("file-url.jpg")]
    [TestCase("file-url.png")]
    public void SvgWithAFileUrl_IsRefusedByItsBytes(string name) =>
        AssertRefusedThenNextWorks(Images.Write(name, Encoding.UTF8.GetBytes(SvgReadingAFile)), "SVG");

    [Test]
    public void MslDisguisedAsPng_IsRefusedByItsBytes() =>
        AssertRefusedThenNextWorks(Images.Write("script-msl.png", Encoding.UTF8.GetBytes(Msl)), "MSL");

    [Test]
    public void PngHeaderFollowedByAnSvg_IsDecodedOnlyAsPng()
    {
        // A valid signature and IHDR (10x10), then an SVG: past the sniffer the coder is still named, so
        // ImageMagick cannot switch to its SVG coder, and the PNG decoder finds no image data.
        var png = BadInputTests.PngBomb(10, 10);
        var bytes = png[..33].Concat(Encoding.UTF8.GetBytes(SvgReadingAFile)).ToArray();

        AssertRefusedThenNextWorks(Images.Write("png-then-svg.png", bytes), "could not be decoded as PNG");
    }

    [TestCase("msl:script.png")]
    [TestCase("msl:/etc/passwd")]
    public void MslPrefixInInputPath_IsJustPartOfAFileName(string inputPath)
    {
        // Relative to COMPUTE_STORAGE_DIR: "msl:script.png" is a file of that name there, never a coder.
        var path = System.IO.Path.Combine(Root, "compute", inputPath.TrimStart('/'));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Msl);

        AssertRefusedThenNextWorks(inputPath, "is not an image in an allowed format", "MSL");
    }

    [Test]
    public async Task MslPrefixedName_OfARealPng_IsReadAsThatPng()
    {
        var path = System.IO.Path.Combine(Root, "compute", "msl:photo.png");
        File.Copy(Images.AlphaPng, path, overwrite: true);

        var output = await RunAsync("image_resize", new JsonObject { ["input_path"] = "msl:photo.png", ["width"] = 40 });

        Assert.That(ImageInfo.Read((string)output["path"]!).Width, Is.EqualTo(40));
    }

    [TestCase("https://127.0.0.1:9/photo.png", "does not exist")]
    [TestCase("http:photo.png", "does not exist")]
    [TestCase("../../../../../../etc/passwd", "'..' segments are not allowed")]
    [TestCase("photos/../../../etc/passwd", "'..' segments are not allowed")]
    [TestCase("/etc/passwd", "outside the allowed roots")]
    public void UrlOrTraversalInInputPath_IsRefusedByTheSandbox(string inputPath, string expected) =>
        AssertRefusedThenNextWorks(inputPath, expected);

    [Test]
    public void PixelFlood_AOnePixelJpegDeclaring60000x60000_IsRefusedBeforeDecoding()
    {
        var onePixel = System.IO.Path.Combine(Images.Folder, "one-pixel.jpg");
        Tool.Run(Tool.Convert, "-size", "1x1", "xc:gray", onePixel);
        var jpeg = File.ReadAllBytes(onePixel);
        var sof = FindStartOfFrame(jpeg);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), 60000);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), 60000);

        AssertRefusedThenNextWorks(Images.Write("pixel-flood.jpg", jpeg), "60000x60000 pixels", "decompression bomb");
    }

    [Test]
    public void GifWithTenThousandFrames_IsRefusedNamingTheFrameLimit() =>
        AssertRefusedThenNextWorks(Images.Write("frames-10000.gif", ManyFrameGif(10_000)), "IMAGE_MAX_FRAMES=1000");

    [Test]
    public void TiffDeclaringAHugeStripCount_FailsWithoutAllocatingForIt() =>
        AssertRefusedThenNextWorks(Images.Write("strips.tif", HugeStripCountTiff(0x3FFF_FFFF)), "could not be decoded as TIFF");

    [Test]
    public void PngBomb_IsRefusedBeforeDecoding() =>
        AssertRefusedThenNextWorks(Images.Write("bomb-then-next.png", BadInputTests.PngBomb(50_000, 50_000)), "decompression bomb");

    [Test]
    public void TruncatedJpeg_FailsInsteadOfComingOutHalfGrey()
    {
        // Magick.NET reports "Premature end of JPEG file" only as a warning event.
        var truncated = File.ReadAllBytes(Images.LargeJpeg);
        AssertRefusedThenNextWorks(Images.Write("truncated-large.jpg", truncated[..(truncated.Length / 2)]), "Premature end of JPEG file", "damaged or truncated");
    }

    private static void AssertRefusedThenNextWorks(string inputPath, params string[] expected)
    {
        foreach (var task in new[] { "image_resize", "media_thumbnail" })
        {
            var parameters = new JsonObject { ["input_path"] = inputPath };
            if (task == "image_resize")
            {
                parameters["width"] = 64;
            }

            BadInputTests.AssertFails(task, parameters, expected);
        }

        var next = RunAsync("image_resize", new JsonObject { ["input_path"] = Images.Landscape, ["width"] = 80 }).GetAwaiter().GetResult();
        Assert.That(ImageInfo.Read((string)next["path"]!).Width, Is.EqualTo(80), "the next image works");
    }

    private static int FindStartOfFrame(byte[] jpeg)
    {
        for (var i = 2; i + 1 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                return i;
            }
        }

        throw new InvalidOperationException("no SOF marker");
    }

    private static byte[] ManyFrameGif(int frames)
    {
        using var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        gif.Write([1, 0, 1, 0, 0x80, 0, 0]); // 1x1, global colour table of 2 entries
        gif.Write([0, 0, 0, 255, 255, 255]);
        for (var i = 0; i < frames; i++)
        {
            gif.Write([0x21, 0xF9, 4, 0, 1, 0, 0, 0]); // graphic control: 1/100 s
            gif.Write([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]); // image descriptor 1x1
            gif.Write([2, 2, 0x4C, 0x01, 0]); // LZW: clear, index 0, end
        }

        gif.WriteByte(0x3B);
        return gif.ToArray();
    }

    private static byte[] HugeStripCountTiff(uint strips)
    {
        // Little-endian TIFF, 1x1 8-bit grey, whose StripOffsets/StripByteCounts claim `strips` entries
        // stored past the end of the file: a reader that trusts the count allocates gigabytes.
        var entries = new (ushort Tag, ushort Type, uint Count, uint Value)[]
        {
            (256, 4, 1, 1), (257, 4, 1, 1), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
            (273, 4, strips, 0x7000_0000), (277, 3, 1, 1), (278, 4, 1, 1), (279, 4, strips, 0x7800_0000),
        };
        var tiff = new byte[8 + 2 + (entries.Length * 12) + 4 + 16];
        "II*\0"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(8), (ushort)entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var at = 10 + (i * 12);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at + 2), entries[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 4), entries[i].Count);
            if (entries[i].Type == 3)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at + 8), (ushort)entries[i].Value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 8), entries[i].Value);
            }
        }

        return tiff;
    }
}
