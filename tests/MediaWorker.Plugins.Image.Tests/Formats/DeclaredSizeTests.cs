using MediaWorker.Plugins.Image.Formats;
using MediaWorker.Plugins.Image.Tests.Support;
using NUnit.Framework;
using static MediaWorker.Plugins.Image.Tests.ImageTestEnvironment;

namespace MediaWorker.Plugins.Image.Tests.Formats;

/// <summary>The header sizes match what ImageMagick itself reports, for every allowed format it can write here.</summary>
public sealed class DeclaredSizeTests
{
    [TestCase("png")]
    [TestCase("gif")]
    [TestCase("bmp")]
    [TestCase("bmp3")]
    [TestCase("jpg")]
    [TestCase("webp")]
    [TestCase("tiff")]
    [TestCase("avif")]
    public void Read_GivesTheEncodedSize(string extension) =>
        Assert.That(ReadEncoded(extension), Is.EqualTo(((long)123, (long)45)));

    [Test]
    public void Read_OfHeic_GivesTheCodedSize_AnUpperBound()
    {
        // HEVC codes whole blocks (here 124x64) and crops on display: the coded size bounds the decode.
        var (width, height) = ReadEncoded("heic")!.Value;

        Assert.That((width, height), Is.EqualTo(((long)124, (long)64)));
    }

    [Test]
    public void Read_OfACraftedBomb_GivesTheDeclaredSize() =>
        Assert.That(DeclaredSize.Read(Tasks.BadInputTests.PngBomb(50_000, 40_000), ImageFormat.Png), Is.EqualTo(((long)50_000, (long)40_000)));

    [Test]
    public void Read_OfACutHeader_IsUnknown() =>
        Assert.That(DeclaredSize.Read(File.ReadAllBytes(Images.Landscape).AsSpan(0, 12), ImageFormat.Jpeg), Is.Null);

    private static (long Width, long Height)? ReadEncoded(string extension)
    {
        var path = Path.Combine(Images.Folder, $"declared-size.{extension}");
        var target = extension == "bmp3" ? "BMP3:" + path : path;
        Tool.Run(Tool.Convert, "-size", "123x45", "gradient:red-blue", "-quality", "60", target);
        var head = File.ReadAllBytes(path).AsSpan();
        var format = FormatSniffer.Sniff(head).Format!;
        return DeclaredSize.Read(head[..Math.Min(head.Length, DeclaredSize.HeaderLength)], format);
    }
}
