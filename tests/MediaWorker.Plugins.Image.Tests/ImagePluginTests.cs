using System.Text.Json.Nodes;
using MediaWorker.Plugins.Validation;
using NUnit.Framework;
using static MediaWorker.Plugins.Image.Tests.ImageTestEnvironment;

namespace MediaWorker.Plugins.Image.Tests;

/// <summary>The plugin as the host sees it: its tasks, and its schemas run through the host's own validator.</summary>
public sealed class ImagePluginTests
{
    private static readonly string[] TaskTypes = ["image_resize", "image_conversion", "media_thumbnail", "exif", "hash"];

    [Test]
    public void CreateHandlers_ServesEveryImageTask_OnceEach() =>
        Assert.That(CreateHandlers().Keys, Is.EqualTo(TaskTypes));

    [Test]
    public void CreateHandlers_RefusesAnInvalidSetting() =>
        Assert.That(() => CreateHandlers(new Dictionary<string, string?> { ["IMAGE_MAX_AREA_MP"] = "lots" }),
            Throws.InvalidOperationException.With.Message.StartWith("IMAGE_MAX_AREA_MP='lots' is not valid"));

    [TestCaseSource(nameof(TaskTypes))]
    public void Schema_IsStrict_AndRequiresTheInput(string taskType)
    {
        var schema = Handler(taskType).Descriptor.ParameterSchema!;

        Assert.That(schema["additionalProperties"]!.GetValue<bool>(), Is.False);
        Assert.That(ParameterValidator.Validate(schema, new JsonObject()), Has.Some.Contains("input_path"));
        Assert.That(ParameterValidator.Validate(schema, new JsonObject { ["input_path"] = "a.jpg", ["width"] = 10, ["format"] = "png", ["colour"] = "red" }), Has.Some.Contains("colour"));
    }

    [TestCase("image_resize", """{"input_path":"a.jpg"}""", "width")]
    [TestCase("image_resize", """{"input_path":"a.jpg","width":0}""", "width")]
    [TestCase("image_resize", """{"input_path":"a.jpg","height":-3}""", "height")]
    [TestCase("image_resize", """{"input_path":"a.jpg","width":10,"fit":"stretch"}""", "fit")]
    [TestCase("image_resize", """{"input_path":"a.jpg","width":"10"}""", "width")]
    [TestCase("image_conversion", """{"input_path":"a.jpg"}""", "format")]
    [TestCase("image_conversion", """{"input_path":"a.jpg","format":"xcf"}""", "format")]
    [TestCase("image_conversion", """{"input_path":"a.jpg","format":"png","quality":101}""", "quality")]
    [TestCase("media_thumbnail", """{"input_path":""}""", "input_path")]
    [TestCase("exif", """{"input_path":"a.jpg","tags":["lens"]}""", "tags")]
    [TestCase("hash", """{"input_path":"a.bin","algorithm":"sha1"}""", "algorithm")]
    public void Schema_RefusesWhatAPersonCouldGetWrong(string taskType, string parameters, string named) =>
        Assert.That(ParameterValidator.Validate(Handler(taskType).Descriptor.ParameterSchema, JsonNode.Parse(parameters)), Has.Some.Contains(named));

    [TestCase("image_resize", """{"input_path":"a.jpg","height":10,"fit":"cover","upscale":true,"format":"webp","quality":70,"output_path":"b.webp"}""")]
    [TestCase("image_resize", """{"input_path":"a.jpg","width":10,"maintain_aspect_ratio":false}""")]
    [TestCase("image_conversion", """{"input_path":"a.jpg","format":"tif"}""")]
    [TestCase("media_thumbnail", """{"input_path":"a.mp4","width":512}""")]
    [TestCase("exif", """{"input_path":"a.jpg","tags":["gps","raw"]}""")]
    [TestCase("hash", """{"input_path":"a.bin","algorithm":"md5","perceptual":false}""")]
    public void Schema_AcceptsAWellFormedRequest(string taskType, string parameters) =>
        Assert.That(ParameterValidator.Validate(Handler(taskType).Descriptor.ParameterSchema, JsonNode.Parse(parameters)), Is.Empty);
}
