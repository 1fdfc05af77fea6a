using System.Text.Json.Nodes;
using NUnit.Framework;
using static MediaWorker.Plugins.Image.Tests.ImageTestEnvironment;

namespace MediaWorker.Plugins.Image.Tests.Tasks;

public sealed class ExifHandlerTests
{
    [Test]
    public async Task Exif_NormalisesTheCommonFields()
    {
        var output = await RunAsync("exif", new JsonObject { ["input_path"] = Images.RotatedPhoto });

        Assert.Multiple(() =>
        {
            Assert.That((string?)output["make"], Is.EqualTo("TestCam"));
            Assert.That((string?)output["model"], Is.EqualTo("Model X100"));
            Assert.That((string?)output["capture_time"], Is.EqualTo("2024-05-17T14:30:05"));
            Assert.That(((int)output["width"]!, (int)output["height"]!), Is.EqualTo((600, 800)), "dimensions as displayed");
            Assert.That((int?)output["orientation"], Is.EqualTo(6));
            Assert.That((int?)output["iso"], Is.EqualTo(400));
            Assert.That((string?)output["exposure"]!["exposure_time"], Is.EqualTo("1/250"));
            Assert.That((double?)output["exposure"]!["exposure_seconds"], Is.EqualTo(0.004).Within(1e-9));
            Assert.That((double?)output["exposure"]!["f_number"], Is.EqualTo(2.8));
            Assert.That((double?)output["exposure"]!["focal_length_mm"], Is.EqualTo(50));
            Assert.That((double?)output["gps"]!["latitude"], Is.EqualTo(52 + (31 / 60.0) + (12.34 / 3600)).Within(1e-6));
            Assert.That((double?)output["gps"]!["longitude"], Is.EqualTo(-(13 + (24 / 60.0) + (30 / 3600.0))).Within(1e-6));
            Assert.That((double?)output["gps"]!["altitude_m"], Is.EqualTo(34.5));
            Assert.That((string?)output["raw"]!["Make"], Is.EqualTo("TestCam"));
            Assert.That((string?)output["format"], Is.EqualTo("jpeg"));
        });
    }

    [Test]
    public async Task Exif_Tags_SelectsSections()
    {
        var output = await RunAsync("exif", new JsonObject { ["input_path"] = Images.RotatedPhoto, ["tags"] = new JsonArray("make", "gps") });

        Assert.That(output.Select(p => p.Key).Order(), Is.EqualTo(new[] { "files", "format", "gps", "make", "path" }));
    }

    [Test]
    public async Task Exif_OfAnImageWithoutExif_GivesNullsAndAnEmptyMap()
    {
        var output = await RunAsync("exif", new JsonObject { ["input_path"] = Images.AlphaPng });

        Assert.Multiple(() =>
        {
            Assert.That(output["make"], Is.Null);
            Assert.That(output["gps"], Is.Null);
            Assert.That(output["raw"]!.AsObject(), Is.Empty);
            Assert.That(((int)output["width"]!, (int)output["height"]!), Is.EqualTo((400, 300)));
        });
    }
}
