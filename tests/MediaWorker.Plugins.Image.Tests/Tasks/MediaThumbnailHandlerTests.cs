using System.Text.Json.Nodes;
using MediaWorker.Plugins.Image.Tests.Support;
using NUnit.Framework;
using static MediaWorker.Plugins.Image.Tests.ImageTestEnvironment;

namespace MediaWorker.Plugins.Image.Tests.Tasks;

public sealed class MediaThumbnailHandlerTests
{
    [Test]
    public async Task Thumbnail_OfALargeJpeg_FitsTheDefaultBoxAsJpeg()
    {
        var output = await RunAsync("media_thumbnail", new JsonObject { ["input_path"] = Images.LargeJpeg });

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.That((written.Format, written.Width, written.Height), Is.EqualTo(("JPEG", 256, 192)));
        Assert.That((string)output["path"]!, Does.EndWith("large_thumb.jpg"));
        Assert.That((string)output["source"]!, Is.EqualTo("image"));
    }

    [Test]
    public async Task Thumbnail_IsUprightAndStripped()
    {
        var output = await RunAsync("media_thumbnail", new JsonObject { ["input_path"] = Images.RotatedPhoto, ["width"] = 128, ["height"] = 128 });

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.Multiple(() =>
        {
            Assert.That((written.Width, written.Height), Is.EqualTo((96, 128)));
            Assert.That(written.Orientation, Is.EqualTo(0), "no orientation tag survives");
            Assert.That(written.PropertyCount, Is.EqualTo(0), "no EXIF survives");
        });
    }

    [Test]
    public async Task Thumbnail_NeverUpscales()
    {
        var output = await RunAsync("media_thumbnail", new JsonObject { ["input_path"] = Images.AnimatedGif, ["format"] = "png" });

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.That((written.Format, written.Width, written.Height, written.Frames), Is.EqualTo(("PNG", 200, 100, 1)));
    }
}
