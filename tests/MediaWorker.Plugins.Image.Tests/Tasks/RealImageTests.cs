using System.Text.Json.Nodes;
using MediaWorker.Plugins.Image.Tests.Support;
using NUnit.Framework;
using static MediaWorker.Plugins.Image.Tests.ImageTestEnvironment;

namespace MediaWorker.Plugins.Image.Tests.Tasks;

/// <summary>
/// Every task on every kind of real image the tests make: EXIF-rotated with GPS, animated GIF,
/// 16-bit PNG with alpha, CMYK JPEG, a 3-page TIFF, and HEIC, AVIF, WebP and JPEG XL inputs.
/// Sizes are as displayed; written files are checked with ImageMagick 6's identify, an independent reader.
/// </summary>
public sealed class RealImageTests
{
    private static readonly object[] Inputs =
    [
        new object[] { "rotated", 600, 800 },
        new object[] { "animated-gif", 200, 100 },
        new object[] { "deep-alpha-png", 300, 200 },
        new object[] { "cmyk-jpeg", 800, 600 },
        new object[] { "paged-tiff", 120, 80 },
        new object[] { "heic", 800, 600 },
        new object[] { "avif", 800, 600 },
        new object[] { "webp", 800, 600 },
        new object[] { "jxl", 800, 600 },
    ];

    [TestCaseSource(nameof(Inputs))]
    public async Task Resize_HalvesEveryKindOfImage(string kind, int width, int height)
    {
        var output = await RunAsync("image_resize", new JsonObject { ["input_path"] = Path(kind), ["width"] = width / 2, ["format"] = "png" });

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.That((written.Format, written.Width, written.Height), Is.EqualTo(("PNG", width / 2, height / 2)));
    }

    [TestCaseSource(nameof(Inputs))]
    public async Task Convert_EveryKindOfImageToJpeg_KeepsTheDisplayedSize(string kind, int width, int height)
    {
        var output = await RunAsync("image_conversion", new JsonObject { ["input_path"] = Path(kind), ["format"] = "jpg" });

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.That((written.Format, written.Width, written.Height, written.HasAlpha), Is.EqualTo(("JPEG", width, height, false)));
        Assert.That(Tool.Run(Tool.Identify, "-format", "%[colorspace]", (string)output["path"]!), Is.EqualTo("sRGB"));
    }

    [TestCaseSource(nameof(Inputs))]
    public async Task Thumbnail_OfEveryKindOfImage_FitsTheBox(string kind, int width, int height)
    {
        var output = await RunAsync("media_thumbnail", new JsonObject { ["input_path"] = Path(kind), ["width"] = 100, ["height"] = 100 });

        var scale = Math.Min(1.0, Math.Min(100.0 / width, 100.0 / height));
        var written = ImageInfo.Read((string)output["path"]!);
        Assert.That((written.Format, written.Width, written.Height), Is.EqualTo(("JPEG", (int)Math.Round(width * scale), (int)Math.Round(height * scale))));
        Assert.That(written.PropertyCount, Is.EqualTo(0), "no EXIF survives");
    }

    [TestCaseSource(nameof(Inputs))]
    public async Task Exif_OfEveryKindOfImage_GivesTheDisplayedSize(string kind, int width, int height)
    {
        var output = await RunAsync("exif", new JsonObject { ["input_path"] = Path(kind) });

        Assert.That(((int)output["width"]!, (int)output["height"]!), Is.EqualTo((width, height)));
    }

    [TestCaseSource(nameof(Inputs))]
    public async Task Hash_OfEveryKindOfImage_HasAPerceptualHash(string kind, int width, int height)
    {
        var output = await RunAsync("hash", new JsonObject { ["input_path"] = Path(kind) });

        Assert.That((string?)output["perceptual_hash"]?["value"], Has.Length.EqualTo(16), $"{kind} {width}x{height}");
    }

    [TestCase("png")]
    [TestCase("tiff")]
    public async Task SixteenBitPng_StaysSixteenBitWithItsAlpha_WhenConvertedOrResized(string format)
    {
        // Issue 11, item 12. Q8 keeps 8 bits per sample in memory, so the 16-bit file carries 8-bit precision.
        var converted = await RunAsync("image_conversion", new JsonObject { ["input_path"] = Images.DeepAlphaPng, ["format"] = format });
        var resized = await RunAsync("image_resize", new JsonObject { ["input_path"] = Images.DeepAlphaPng, ["width"] = 150, ["format"] = format });

        foreach (var output in new[] { converted, resized })
        {
            var written = ImageInfo.Read((string)output["path"]!);
            Assert.That((written.Depth, written.HasAlpha), Is.EqualTo((16, true)), (string)output["path"]!);
        }
    }

    [Test]
    public async Task AnimatedGif_ToTiff_WritesEveryFrameAsAPage()
    {
        // Issue 11, item 5: "Error fetching directory count. TIFFLinkDirectory".
        var output = await RunAsync("image_conversion", new JsonObject { ["input_path"] = Images.AnimatedGif, ["format"] = "tiff" });

        Assert.That((int)output["frames"]!, Is.EqualTo(3));
        Assert.That(ImageInfo.Read((string)output["path"]!).Frames, Is.EqualTo(3));
    }

    [Test]
    public async Task ThreePageTiff_ToTiff_KeepsEveryPage_AlsoWhenResized()
    {
        var converted = await RunAsync("image_conversion", new JsonObject { ["input_path"] = Images.PagedTiff, ["format"] = "tiff" });
        var resized = await RunAsync("image_resize", new JsonObject { ["input_path"] = Images.PagedTiff, ["width"] = 60, ["format"] = "tiff" });

        Assert.That(ImageInfo.Read((string)converted["path"]!).Frames, Is.EqualTo(3));
        var pages = Tool.Run(Tool.Identify, "-format", "%w %h|", (string)resized["path"]!);
        Assert.That(pages, Is.EqualTo("60 40|60 40|60 40|"));
    }

    [Test]
    public async Task CmykJpeg_IsHashedLikeItsRgbOriginal()
    {
        var rgb = await RunAsync("hash", new JsonObject { ["input_path"] = Images.Landscape });
        var cmyk = await RunAsync("hash", new JsonObject { ["input_path"] = Images.CmykJpeg });

        var distance = System.Numerics.BitOperations.PopCount(
            Convert.ToUInt64((string)rgb["perceptual_hash"]!["value"]!, 16) ^ Convert.ToUInt64((string)cmyk["perceptual_hash"]!["value"]!, 16));
        Assert.That(distance, Is.LessThanOrEqualTo(6));
    }

    private static string Path(string kind) => kind switch
    {
        "rotated" => Images.RotatedPhoto,
        "animated-gif" => Images.AnimatedGif,
        "deep-alpha-png" => Images.DeepAlphaPng,
        "cmyk-jpeg" => Images.CmykJpeg,
        "paged-tiff" => Images.PagedTiff,
        "heic" => Images.Heic,
        "avif" => Images.Avif,
        "webp" => Images.WebP,
        "jxl" => Images.Jxl,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
