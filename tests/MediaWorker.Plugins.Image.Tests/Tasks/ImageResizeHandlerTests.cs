using System.Text.Json.Nodes;
using MediaWorker.Plugins.Image.Tests.Support;
using NUnit.Framework;
using static MediaWorker.Plugins.Image.Tests.ImageTestEnvironment;

namespace MediaWorker.Plugins.Image.Tests.Tasks;

public sealed class ImageResizeHandlerTests
{
    [Test]
    public async Task Resize_FitsInsideTheBox_ByDefault()
    {
        var output = await RunAsync("image_resize", new JsonObject { ["input_path"] = Images.Landscape, ["width"] = 400, ["height"] = 400 });

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.Multiple(() =>
        {
            Assert.That((written.Width, written.Height), Is.EqualTo((400, 300)));
            Assert.That(written.Format, Is.EqualTo("JPEG"));
            Assert.That((int)output["width"]!, Is.EqualTo(400));
            Assert.That((int)output["height"]!, Is.EqualTo(300));
            Assert.That((string)output["format"]!, Is.EqualTo("jpeg"));
            Assert.That((long)output["bytes"]!, Is.EqualTo(new FileInfo((string)output["path"]!).Length));
            Assert.That(output["files"]!.AsArray().Select(f => (string?)f), Is.EqualTo(new[] { (string?)output["path"] }));
        });
    }

    [Test]
    public async Task Resize_AppliesTheExifOrientationFirst()
    {
        // Stored 800x600 with orientation 6: displayed 600x800, so width 300 gives 300x400, upright.
        var output = await RunAsync("image_resize", new JsonObject { ["input_path"] = Images.RotatedPhoto, ["width"] = 300 });

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.That((written.Width, written.Height), Is.EqualTo((300, 400)));
        Assert.That(written.Orientation, Is.AnyOf(0, 1), "the orientation tag must no longer ask viewers to rotate");
    }

    [Test]
    public async Task Resize_Cover_CropsTheCentreToTheExactBox()
    {
        var output = await RunAsync("image_resize", new JsonObject { ["input_path"] = Images.Landscape, ["width"] = 200, ["height"] = 200, ["fit"] = "cover" });

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.That((written.Width, written.Height), Is.EqualTo((200, 200)));
    }

    [Test]
    public async Task Resize_MaintainAspectRatioFalse_Fills()
    {
        var output = await RunAsync("image_resize", new JsonObject { ["input_path"] = Images.Landscape, ["width"] = 300, ["height"] = 300, ["maintain_aspect_ratio"] = false });

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.That((written.Width, written.Height), Is.EqualTo((300, 300)));
    }

    [TestCase(false, 800, 600)]
    [TestCase(true, 1600, 1200)]
    public async Task Resize_GrowsOnlyWhenUpscaleIsAllowed(bool upscale, int width, int height)
    {
        var output = await RunAsync("image_resize", new JsonObject { ["input_path"] = Images.Landscape, ["width"] = 1600, ["upscale"] = upscale });

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.That((written.Width, written.Height), Is.EqualTo((width, height)));
    }

    [Test]
    public async Task Resize_AnimatedGif_KeepsEveryFrame()
    {
        var output = await RunAsync("image_resize", new JsonObject { ["input_path"] = Images.AnimatedGif, ["width"] = 100 });

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.Multiple(() =>
        {
            Assert.That(written.Format, Is.EqualTo("GIF"));
            Assert.That((written.Width, written.Height), Is.EqualTo((100, 50)));
            Assert.That(written.Frames, Is.EqualTo(3));
            Assert.That((int)output["frames"]!, Is.EqualTo(3));
        });
    }

    [TestCase("jpg", "JPEG")]
    [TestCase("webp", "WEBP")]
    public async Task Resize_LargeJpeg_ToSmallSizeInTheRequestedFormat(string format, string coder)
    {
        var output = await RunAsync("image_resize", new JsonObject { ["input_path"] = Images.LargeJpeg, ["width"] = 320, ["format"] = format });

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.That((written.Format, written.Width, written.Height), Is.EqualTo((coder, 320, 240)));
        Assert.That((string)output["path"]!, Does.EndWith("." + (format == "jpg" ? "jpg" : format)));
    }

    [Test]
    public async Task Resize_ToAnOutputPath_FollowsItsExtension()
    {
        var output = await RunAsync("image_resize", new JsonObject { ["input_path"] = Images.Landscape, ["height"] = 60, ["output_path"] = "resized/small.png" });

        Assert.That((string)output["path"]!, Is.EqualTo(Path.Combine(Root, "compute", "resized", "small.png")));
        var written = ImageInfo.Read((string)output["path"]!);
        Assert.That((written.Format, written.Width, written.Height), Is.EqualTo(("PNG", 80, 60)));
    }

    [TestCase("heic")]
    [TestCase("avif")]
    [TestCase("webp")]
    [TestCase("bmp")]
    public async Task Resize_ReadsEveryAllowedFormat(string extension)
    {
        var input = Path.Combine(Images.Folder, $"input-format.{extension}");
        Tool.Run(Tool.Convert, Images.Landscape, "-quality", "70", input);

        var output = await RunAsync("image_resize", new JsonObject { ["input_path"] = input, ["width"] = 200, ["format"] = "png" });

        var written = ImageInfo.Read((string)output["path"]!);
        Assert.That((written.Format, written.Width, written.Height), Is.EqualTo(("PNG", 200, 150)));
    }
}
