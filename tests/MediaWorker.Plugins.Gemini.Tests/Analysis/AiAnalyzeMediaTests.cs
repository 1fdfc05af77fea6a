using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Analysis;

public sealed class AiAnalyzeMediaTests
{
    private GeminiRig _rig = null!;

    [SetUp]
    public async Task SetUp() => _rig = await GeminiRig.StartAsync();

    [TearDown]
    public async Task TearDown() => await _rig.DisposeAsync();

    [Test]
    public async Task Video_StandardMode_UploadsOnlyTheAudioTrack_ToTheFastModel()
    {
        var input = await TestMedia.CopyIntoAsync(_rig, TestMedia.LoudClip(), "talk.mp4");
        _rig.Server.Enqueue("generateContent", FakeReply.Answer(Samples.Analysis()));

        var output = await _rig.RunAsync("ai_analyze", new JsonObject { ["input_path"] = input });

        Assert.That(output["source"]!["kind"]!.GetValue<string>(), Is.EqualTo("video"));
        Assert.That(output["source"]!["duration"]!.GetValue<double>(), Is.EqualTo(45).Within(0.2));
        var start = _rig.Server.RequestsTo("upload.start").Single();
        Assert.That(start.Headers["X-Goog-Upload-Header-Content-Type"], Is.EqualTo("audio/ogg"));
        Assert.That(long.Parse(start.Headers["X-Goog-Upload-Header-Content-Length"]), Is.LessThan(new FileInfo(_rig.Temp.Combine("compute", input)).Length));
        Assert.That(_rig.Server.RequestsTo("generateContent").Single().Model, Is.EqualTo("fake-flash"));
        Assert.That(_rig.Server.StoredFiles, Is.Empty);
        Assert.That(_rig.Server.Violations, Is.Empty);
    }

    [Test]
    public async Task Video_DeepMode_UploadsTheVideo_WaitsForProcessing_AndReturnsAVisualAudit()
    {
        var input = await TestMedia.CopyIntoAsync(_rig, TestMedia.LoudClip(), "talk.mp4");
        var transcript = _rig.WriteInput("talk.json", Samples.TranscriptJson());
        _rig.Server.ProcessingPolls = 3;
        _rig.Server.Enqueue("generateContent", FakeReply.Answer(Samples.Analysis(visualAudit: true)));
        var context = _rig.Context("ai_analyze", new JsonObject { ["input_path"] = input, ["mode"] = "deep", ["transcript_path"] = transcript });

        var output = await _rig.RunAsync(context);

        Assert.That(output["mode"]!.GetValue<string>(), Is.EqualTo("deep"));
        Assert.That(output["visualAudit"]!.AsArray().Select(v => v!["timestamp"]!.GetValue<string>()), Is.EqualTo(new[] { "00:00", "00:01" }));
        Assert.That(_rig.Server.RequestsTo("upload.start").Single().Headers["X-Goog-Upload-Header-Content-Type"], Is.EqualTo("video/mp4"));
        Assert.That(_rig.Server.RequestsTo("files.get").Count(), Is.EqualTo(3));
        var sent = _rig.Server.RequestsTo("generateContent").Single();
        Assert.That(sent.Model, Is.EqualTo("fake-pro"));
        var parts = sent.Body!["contents"]![0]!["parts"]!.AsArray();
        Assert.That(parts[0]!["fileData"]!["fileUri"]!.GetValue<string>(), Does.StartWith(_rig.Server.BaseUrl + "v1beta/files/"));
        Assert.That(parts[1]!["text"]!.GetValue<string>(), Does.Contain("[00:14] Segment 1"));
        Assert.That(sent.Body["generationConfig"]!["responseSchema"]!["properties"]!["visualAudit"], Is.Not.Null);
        Assert.That(context.ReportedProgress, Is.Ordered.And.Contains(100));
        Assert.That(_rig.Server.StoredFiles, Is.Empty);
        Assert.That(_rig.Server.Violations, Is.Empty);
    }

    [Test]
    public async Task AnUploadCutInTheMiddle_IsResumed_AndTheAnalysisSucceeds()
    {
        var input = await TestMedia.CopyIntoAsync(_rig, TestMedia.LoudClip(), "talk.mp4");
        _rig.Server.CutChunk = 0;
        _rig.Server.CutAfterBytes = 5_000;
        _rig.Server.Enqueue("generateContent", FakeReply.Answer(Samples.Analysis(visualAudit: true)));

        var output = await _rig.RunAsync("ai_analyze", new JsonObject { ["input_path"] = input, ["mode"] = "deep" });

        Assert.That(output["title"]!.GetValue<string>(), Is.EqualTo("Three topics"));
        Assert.That(_rig.Server.RequestsTo("upload.query").Count(), Is.EqualTo(1));
        Assert.That(_rig.Server.Violations, Is.Empty);
    }

    [Test]
    public async Task AudioInDeepMode_AndUnreadableMedia_FailPermanently()
    {
        var audio = await TestMedia.CopyIntoAsync(_rig, TestMedia.LoudAudioClip(), "talk.m4a");
        var broken = _rig.WriteInput("broken.mp4", "this is not a video");

        var deepAudio = Assert.ThrowsAsync<PermanentJobException>(() => _rig.RunAsync("ai_analyze", new JsonObject { ["input_path"] = audio, ["mode"] = "deep" }));
        var unreadable = Assert.ThrowsAsync<PermanentJobException>(() => _rig.RunAsync("ai_analyze", new JsonObject { ["input_path"] = broken }));

        Assert.That(deepAudio!.Message, Does.Contain("Mode 'deep' analyses a video"));
        Assert.That(unreadable!.Message, Does.StartWith("input_path 'broken.mp4' cannot be used"));
        Assert.That(_rig.Server.Requests, Is.Empty);
    }
}
