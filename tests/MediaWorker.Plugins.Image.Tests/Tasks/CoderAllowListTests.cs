using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;
using static MediaWorker.Plugins.Image.Tests.ImageTestEnvironment;

namespace MediaWorker.Plugins.Image.Tests.Tasks;

/// <summary>
/// ImageTragick-style payloads: whatever the name and whatever policy.xml allows, only the allow-listed
/// coders are reached, so none of these can read a file, draw text or fetch a URL.
/// </summary>
public sealed class CoderAllowListTests
{
    private const string Mvg = "push graphic-context\nviewbox 0 0 640 480\nimage over 0,0 0,0 'text:/etc/passwd'\npop graphic-context\n";

    private const string Svg = "<?xml version=\"1.0\" standalone=\"no\"?>\n<svg width=\"640px\" height=\"480px\" xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">"
        + "<image xlink:href=\"text:/etc/passwd\" x=\"0\" y=\"0\" height=\"480px\" width=\"640px\"/></svg>\n";

    private const string Msl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<image>\n<read filename=\"/etc/passwd\" />\n<write filename=\"/tmp/leak.png\" />\n</image>\n";

    [TestCase("payload.mvg", Mvg, "MVG")]
    [TestCase("payload-mvg.jpg", Mvg, "MVG")]
    [TestCase("payload.svg", Svg, "SVG")]
    [TestCase("payload-svg.jpg", Svg, "SVG")]
    [TestCase("payload-svg.png", Svg, "SVG")]
    [TestCase("payload-msl.gif", Msl, "MSL")]
    public void CraftedDrawing_IsRefusedByContent(string name, string payload, string described)
    {
        var path = Images.Write(name, Encoding.UTF8.GetBytes(payload));

        foreach (var task in new[] { "image_resize", "media_thumbnail", "exif" })
        {
            var parameters = new JsonObject { ["input_path"] = path };
            if (task == "image_resize")
            {
                parameters["width"] = 64;
            }

            BadInputTests.AssertFails(task, parameters, "is not an image in an allowed format", described);
        }
    }

    [Test]
    public void JpegMagicFollowedByADrawing_IsDecodedOnlyAsJpeg()
    {
        // Past the sniffer the coder is still named explicitly, so ImageMagick cannot switch to SVG/MVG.
        var bytes = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }.Concat(Encoding.UTF8.GetBytes(Svg)).ToArray();
        var path = Images.Write("jpeg-then-svg.jpg", bytes);

        BadInputTests.AssertFails("image_resize", new JsonObject { ["input_path"] = path, ["width"] = 64 }, "could not be decoded as JPEG");
    }

    [Test]
    public async Task Hash_OfAPayload_IsComputedWithoutDecodingIt()
    {
        var path = Images.Write("payload-for-hash.jpg", Encoding.UTF8.GetBytes(Mvg));

        var output = await RunAsync("hash", new JsonObject { ["input_path"] = path });

        Assert.That(output["perceptual_hash"], Is.Null);
    }

    [Test]
    public async Task FileNames_AreNeverParsedByImageMagick()
    {
        // ImageMagick would read "[0]" as a frame selector, "%d" as a scene number and "png:" as a coder;
        // the plugin hands it descriptors, so these are just characters of a name.
        var input = Path.Combine(Images.Folder, "png:odd[0]%d.gif");
        File.Copy(Images.AnimatedGif, input, overwrite: true);

        var output = await RunAsync("image_conversion", new JsonObject { ["input_path"] = input, ["format"] = "gif", ["output_path"] = "names/jpeg:out[1]%03d.gif" });

        Assert.That((string)output["path"]!, Is.EqualTo(Path.Combine(Root, "compute", "names", "jpeg:out[1]%03d.gif")));
        Assert.That(File.Exists((string)output["path"]!), Is.True);
        Assert.That((int)output["frames"]!, Is.EqualTo(3));
    }
}
