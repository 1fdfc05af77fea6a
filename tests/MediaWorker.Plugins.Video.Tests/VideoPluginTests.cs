using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Validation;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests;

public sealed class VideoPluginTests
{
    private static readonly string[] TaskTypes =
        ["video_probe", "keyframes", "scene_detect", "audio_extract", "transcode", "hls_streaming", "sprite_sheet", "clip_extract", "stream_ingest"];

    private static IReadOnlyList<ITaskHandler> CreateHandlers(Dictionary<string, string?>? settings = null) =>
        [.. new VideoPlugin().CreateHandlers(new PluginContext(VideoTestSetUp.Root, new Settings(settings ?? []), new TestContextLogger("video"), 2))];

    [Test]
    public void CreateHandlers_ServesEveryVideoTask_OnceEach() =>
        Assert.That(CreateHandlers().Select(h => h.Descriptor.TaskType), Is.EqualTo(TaskTypes));

    [Test]
    public void CreateHandlers_RefusesToLoad_WhenFfmpegIsMissing()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => CreateHandlers(new() { ["FFMPEG_PATH"] = "/nonexistent/ffmpeg" }));

        Assert.That(ex!.Message, Is.EqualTo("'/nonexistent/ffmpeg' was not found: install ffmpeg (Debian: apt-get install ffmpeg) or set FFMPEG_PATH to the program's path."));
    }

    [Test]
    public void EverySchema_IsStrict_AndRequiresTheInput()
    {
        foreach (var handler in CreateHandlers())
        {
            var schema = handler.Descriptor.ParameterSchema!;
            Assert.That(schema["additionalProperties"]!.GetValue<bool>(), Is.False, handler.Descriptor.TaskType);
            Assert.That(schema["required"]!.AsArray().Select(r => r!.GetValue<string>()), Does.Contain("input_path"), handler.Descriptor.TaskType);
            Assert.That(ParameterValidator.Validate(schema, new JsonObject { ["input_path"] = "a.mp4", ["colour"] = "red" }), Has.Some.Contains("colour"), handler.Descriptor.TaskType);
        }
    }

    // Each row: a task, parameters the host must refuse, and the parameter its message must name.
    [TestCase("video_probe", """{"input_path": ""}""", "input_path")]
    [TestCase("keyframes", """{"input_path": "a.mp4", "max_frames": 0}""", "max_frames")]
    [TestCase("keyframes", """{"input_path": "a.mp4", "mode": "everything"}""", "mode")]
    [TestCase("keyframes", """{"input_path": "a.mp4", "interval_seconds": 0}""", "interval_seconds")]
    [TestCase("scene_detect", """{"input_path": "a.mp4", "threshold": 1.5}""", "threshold")]
    [TestCase("audio_extract", """{"input_path": "a.mp4", "format": "ogg"}""", "format")]
    [TestCase("audio_extract", """{"input_path": "a.mp4", "start": -1}""", "start")]
    [TestCase("transcode", """{"input_path": "a.mp4", "video_codec": "h265x"}""", "video_codec")]
    [TestCase("transcode", """{"input_path": "a.mp4", "crf": "high"}""", "crf")]
    [TestCase("transcode", """{"input_path": "a.mp4", "video_bitrate": "fast"}""", "video_bitrate")]
    [TestCase("hls_streaming", """{"input_path": "a.mp4", "variants": []}""", "variants")]
    [TestCase("hls_streaming", """{"input_path": "a.mp4", "variants": [{"resolution": "720", "bitrate": "1M"}]}""", "resolution")]
    [TestCase("hls_streaming", """{"input_path": "a.mp4", "segment_seconds": 0}""", "segment_seconds")]
    [TestCase("sprite_sheet", """{"input_path": "a.mp4", "columns": 0}""", "columns")]
    [TestCase("clip_extract", """{"input_path": "a.mp4", "start": 1}""", "end")]
    [TestCase("clip_extract", """{"input_path": "a.mp4", "start": 1, "end": 0}""", "end")]
    [TestCase("clip_extract", """{"input_path": "a.mp4", "start": 1, "end": 2, "reencode": "yes"}""", "reencode")]
    public void TheHost_RefusesWhatAPersonCouldGetWrong(string taskType, string parameters, string named)
    {
        var schema = CreateHandlers().Single(h => h.Descriptor.TaskType == taskType).Descriptor.ParameterSchema;

        var errors = ParameterValidator.Validate(schema, JsonNode.Parse(parameters));

        Assert.That(errors, Has.Some.Contains(named), string.Join("; ", errors));
    }

    [TestCase("clip_extract", """{"input_path": "a.mp4", "start": 1.5, "end": 3}""")]
    [TestCase("hls_streaming", """{"input_path": "a.mp4", "variants": [{"resolution": "720p", "bitrate": "3.5M"}], "include_original": true}""")]
    [TestCase("transcode", """{"input_path": "a.mp4", "container": "webm", "crf": 40, "max_width": 1280, "preset": "fast"}""")]
    [TestCase("keyframes", """{"input_path": "https://cdn.example.com/a.mp4", "mode": "interval", "interval_seconds": 2.5, "max_frames": 10}""")]
    public void TheHost_AcceptsWellFormedRequests(string taskType, string parameters)
    {
        var schema = CreateHandlers().Single(h => h.Descriptor.TaskType == taskType).Descriptor.ParameterSchema;

        Assert.That(ParameterValidator.Validate(schema, JsonNode.Parse(parameters)), Is.Empty);
    }

    private sealed class Settings(Dictionary<string, string?> values) : IPluginSettings
    {
        public string? GetValue(string name) => values.GetValueOrDefault(name);
    }
}
