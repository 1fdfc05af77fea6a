using System.Text.Json.Nodes;
using MediaWorker.Plugins.Image.Tests.Support;
using NUnit.Framework;
using static MediaWorker.Plugins.Image.Tests.ImageTestEnvironment;

namespace MediaWorker.Plugins.Image.Tests.Tasks;

public sealed class ImageConversionHandlerTests
{
    [TestCase("png", "PNG")]
    [TestCase("jpg", "JPEG")]
    [TestCase("jpeg", "JPEG")]
    [TestCase("webp", "WEBP")]
    [TestCase("gif", "GIF")]
    [TestCase("bmp", "BMP")]
    [TestCase("tiff", "TIFF")]
    public async Task Convert_WritesTheRequestedFormat_KeepingTheSize(string format, string coder)
    {
        var output = await RunAsync("image_conversion", new JsonObject { ["input_path"] = Images.Landscape, ["format"] = format });

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.That((written.Format, written.Width, written.Height), Is.EqualTo((coder, 800, 600)));
    }

    [TestCase("avif", "AVIF")]
    [TestCase("jxl", "JXL")]
    public async Task Convert_ToAvifAndJxl_WithMagickNetsBundledEncoders(string format, string coder)
    {
        var output = await RunAsync("image_conversion", new JsonObject { ["input_path"] = Images.Landscape, ["format"] = format, ["quality"] = 50 });

        var bytes = File.ReadAllBytes((string)output["path"]!);
        Assert.That(MediaWorker.Plugins.Image.Formats.FormatSniffer.Sniff(bytes).Format?.Coder, Is.EqualTo(coder));
        Assert.That(((int)output["width"]!, (int)output["height"]!), Is.EqualTo((800, 600)));
    }

    [Test]
    public void Convert_ToHeic_FailsSayingWhyAndWhatWorks() =>
        // Magick.NET's libheif decodes HEIC but bundles no HEVC encoder (issue 13: a clear error).
        BadInputTests.AssertFails("image_conversion", new JsonObject { ["input_path"] = Images.Landscape, ["format"] = "heic" },
            "cannot write HEIC", "no HEIC encoder", "avif");

    [Test]
    public async Task Convert_AlphaToJpeg_FlattensOntoWhite()
    {
        var output = await RunAsync("image_conversion", new JsonObject { ["input_path"] = Images.AlphaPng, ["format"] = "jpg" });

        var path = (string)output["path"]!;
        var written = ImageInfo.Read(path);
        Assert.That((written.Format, written.HasAlpha), Is.EqualTo(("JPEG", false)));
        var corner = Tool.Run(Tool.Convert, path, "-format", "%[fx:int(255*r)],%[fx:int(255*g)],%[fx:int(255*b)]", "info:");
        Assert.That(corner, Is.EqualTo("255,255,255").Or.EqualTo("254,254,254"), "a transparent corner becomes white");
    }

    [Test]
    public async Task Convert_AlphaToPng_KeepsTransparency()
    {
        var output = await RunAsync("image_conversion", new JsonObject { ["input_path"] = Images.AlphaPng, ["format"] = "webp" });

        Assert.That(ImageInfo.Read((string)output["path"]!).HasAlpha, Is.True);
    }

    [TestCase("webp", 3)]
    [TestCase("gif", 3)]
    [TestCase("png", 1)]
    public async Task Convert_AnimatedGif_KeepsFramesOnlyWhereTheTargetCan(string format, int frames)
    {
        var output = await RunAsync("image_conversion", new JsonObject { ["input_path"] = Images.AnimatedGif, ["format"] = format });

        Assert.That((int)output["frames"]!, Is.EqualTo(frames));
        Assert.That(ImageInfo.Read((string)output["path"]!).Frames, Is.EqualTo(frames));
    }

    [TestCase("png", 16)]
    [TestCase("jpg", 8)]
    public async Task Convert_SixteenBitTiff(string format, int depth)
    {
        var output = await RunAsync("image_conversion", new JsonObject { ["input_path"] = Images.DeepTiff, ["format"] = format });

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.That((written.Width, written.Height, written.Depth), Is.EqualTo((300, 200, depth)));
    }

    [Test]
    public async Task Convert_CmykJpeg_BecomesSrgb()
    {
        var cmyk = Path.Combine(Images.Folder, "cmyk.jpg");
        Tool.Run(Tool.Convert, Images.Landscape, "-colorspace", "CMYK", cmyk);

        // JPEG could hold CMYK, and ImageMagick would keep it: the plugin converts so browsers show the colours.
        var output = await RunAsync("image_conversion", new JsonObject { ["input_path"] = cmyk, ["format"] = "jpg" });

        Assert.That(Tool.Run(Tool.Identify, "-format", "%[colorspace]", (string)output["path"]!), Is.EqualTo("sRGB"));
    }

    [Test]
    public async Task Convert_ToTiff_IsZipCompressed()
    {
        var output = await RunAsync("image_conversion", new JsonObject { ["input_path"] = Images.Landscape, ["format"] = "tif" });

        Assert.That(Tool.Run(Tool.Identify, "-format", "%C", (string)output["path"]!), Is.EqualTo("Zip"));
        Assert.That((string)output["path"]!, Does.EndWith(".tiff"));
    }
}
