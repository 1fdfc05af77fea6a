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

    [Test]
    public async Task Thumbnail_OfAVideo_IsAFourByFourKeyframeGrid()
    {
        // 320x240 video in the default 256 box: 64x48 tiles, a 256x192 grid.
        var context = new MediaWorker.Testing.TestJobContext(Root, "media_thumbnail", new JsonObject { ["input_path"] = Images.Video });
        var output = await MediaWorker.Testing.TestJobContext.RunAsync(Handler("media_thumbnail"), context);

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.Multiple(() =>
        {
            Assert.That((written.Format, written.Width, written.Height), Is.EqualTo(("JPEG", 256, 192)));
            Assert.That((string)output["source"]!, Is.EqualTo("video"));
            Assert.That((string)output["grid"]!, Is.EqualTo("4x4"));
            Assert.That((string)output["path"]!, Does.EndWith("clip_thumb.jpg"));
        });
        Assert.That(context.ReportedProgress, Is.Ordered.And.Not.Empty, "progress never goes backwards");
        var tiles = DistinctTiles((string)output["path"]!);
        Assert.That(tiles, Is.GreaterThanOrEqualTo(8), "keyframes from across the video, not one frame repeated");
    }

    [Test]
    public void Thumbnail_OfATruncatedVideo_IsPermanent()
    {
        var bytes = File.ReadAllBytes(Images.Video);
        var path = Images.Write("cut.mp4", bytes[..(bytes.Length / 3)]);

        BadInputTests.AssertFails("media_thumbnail", new JsonObject { ["input_path"] = path }, "input_path", "cut.mp4");
    }

    [Test]
    public void Thumbnail_OfAVideo_WithoutFfmpeg_IsPermanentAndSaysSo()
    {
        var handlers = CreateHandlers(new Dictionary<string, string?> { ["FFPROBE_PATH"] = "/nonexistent/ffprobe" });
        var context = new MediaWorker.Testing.TestJobContext(Root, "media_thumbnail", new JsonObject { ["input_path"] = Images.Video });

        var ex = Assert.ThrowsAsync<MediaWorker.Plugins.Abstractions.PermanentJobException>(() => MediaWorker.Testing.TestJobContext.RunAsync(handlers["media_thumbnail"], context));
        Assert.That(ex!.Message, Does.Contain("video thumbnails need ffmpeg").And.Contain("FFPROBE_PATH"));
    }

    private static int DistinctTiles(string grid)
    {
        // Each 64x48 tile of testsrc2 shows a different time stamp, so their mean colours differ.
        var means = new HashSet<string>();
        for (var row = 0; row < 4; row++)
        {
            for (var column = 0; column < 4; column++)
            {
                means.Add(Tool.Run(Tool.Convert, grid, "-crop", $"64x48+{column * 64}+{row * 48}", "+repage", "-format", "%[fx:int(1000*mean)]", "info:"));
            }
        }

        return means.Count;
    }
}
