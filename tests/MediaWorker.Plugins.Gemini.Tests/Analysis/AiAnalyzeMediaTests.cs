using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Tests.Support;
using MediaWorker.Testing.Gemini;
using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Analysis;

public sealed class AiAnalyzeMediaTests : RigTests
{
    [Test]
    public async Task Video_StandardMode_UploadsOnlyTheAudioTrack_ToTheFastModel()
    {
        var input = await TestMedia.CopyIntoAsync(Rig, TestMedia.LoudClip(), "talk.mp4");
        Rig.Server.Enqueue("generateContent", FakeReply.Answer(Samples.Analysis()));

        var output = await Rig.RunAsync("ai_analyze", new JsonObject { ["input_path"] = input });

        Assert.That(output["source"]!["kind"]!.GetValue<string>(), Is.EqualTo("video"));
        Assert.That(output["source"]!["duration"]!.GetValue<double>(), Is.EqualTo(45).Within(0.2));
        var start = Rig.Server.RequestsTo("upload.start").Single();
        Assert.That(start.Headers["X-Goog-Upload-Header-Content-Type"], Is.EqualTo("audio/ogg"));
        Assert.That(long.Parse(start.Headers["X-Goog-Upload-Header-Content-Length"]), Is.LessThan(new FileInfo(Rig.Temp.Combine("compute", input)).Length));
        Assert.That(Rig.Server.RequestsTo("generateContent").Single().Model, Is.EqualTo("fake-flash"));
        Assert.That(Rig.Server.StoredFiles, Is.Empty);
        Assert.That(Rig.Server.Violations, Is.Empty);
    }

    [Test]
    public async Task Video_DeepMode_UploadsTheVideo_WaitsForProcessing_AndReturnsAVisualAudit()
    {
        var input = await TestMedia.CopyIntoAsync(Rig, TestMedia.LoudClip(), "talk.mp4");
        var transcript = Rig.WriteInput("talk.json", Samples.TranscriptJson());
        Rig.Server.ProcessingPolls = 3;
        Rig.Server.Enqueue("generateContent", FakeReply.Answer(Samples.Analysis(visualAudit: true)));
        var context = Rig.Context("ai_analyze", new JsonObject { ["input_path"] = input, ["mode"] = "deep", ["transcript_path"] = transcript });

        var output = await Rig.RunAsync(context);

        Assert.That(output["mode"]!.GetValue<string>(), Is.EqualTo("deep"));
        Assert.That(output["visualAudit"]!.AsArray().Select(v => v!["timestamp"]!.GetValue<string>()), Is.EqualTo(new[] { "00:00", "00:01" }));
        Assert.That(Rig.Server.RequestsTo("upload.start").Single().Headers["X-Goog-Upload-Header-Content-Type"], Is.EqualTo("video/mp4"));
        Assert.That(Rig.Server.RequestsTo("files.get").Count(), Is.EqualTo(3));
        var sent = Rig.Server.RequestsTo("generateContent").Single();
        Assert.That(sent.Model, Is.EqualTo("fake-pro"));
        var parts = sent.Body!["contents"]![0]!["parts"]!.AsArray();
        Assert.That(parts[0]!["fileData"]!["fileUri"]!.GetValue<string>(), Does.StartWith(Rig.Server.BaseUrl + "v1beta/files/"));
        Assert.That(parts[1]!["text"]!.GetValue<string>(), Does.Contain("[00:14] Segment 1"));
        Assert.That(sent.Body["generationConfig"]!["responseSchema"]!["properties"]!["visualAudit"], Is.Not.Null);
        Assert.That(context.ReportedProgress, Is.Ordered.And.Contains(100));
        Assert.That(Rig.Server.StoredFiles, Is.Empty);
        Assert.That(Rig.Server.Violations, Is.Empty);
    }

    [Test]
    public async Task AnUploadCutInTheMiddle_IsResumed_AndTheAnalysisSucceeds()
    {
        var input = await TestMedia.CopyIntoAsync(Rig, TestMedia.LoudClip(), "talk.mp4");
        Rig.Server.CutChunk = 0;
        Rig.Server.CutAfterBytes = 5_000;
        Rig.Server.Enqueue("generateContent", FakeReply.Answer(Samples.Analysis(visualAudit: true)));

        var output = await Rig.RunAsync("ai_analyze", new JsonObject { ["input_path"] = input, ["mode"] = "deep" });

        Assert.That(output["title"]!.GetValue<string>(), Is.EqualTo("Three topics"));
        Assert.That(Rig.Server.RequestsTo("upload.query").Count(), Is.EqualTo(1));
        Assert.That(Rig.Server.Violations, Is.Empty);
    }

    [Test]
    public async Task AudioInDeepMode_AndUnreadableMedia_FailPermanently()
    {
        var audio = await TestMedia.CopyIntoAsync(Rig, TestMedia.LoudAudioClip(), "talk.m4a");
        var broken = Rig.WriteInput("broken.mp4", "this is not a video");

        var deepAudio = Assert.ThrowsAsync<PermanentJobException>(() => Rig.RunAsync("ai_analyze", new JsonObject { ["input_path"] = audio, ["mode"] = "deep" }));
        var unreadable = Assert.ThrowsAsync<PermanentJobException>(() => Rig.RunAsync("ai_analyze", new JsonObject { ["input_path"] = broken }));

        Assert.That(deepAudio!.Message, Does.Contain("Mode 'deep' analyses a video"));
        Assert.That(unreadable!.Message, Does.StartWith("input_path 'broken.mp4' cannot be used"));
        Assert.That(Rig.Server.Requests, Is.Empty);
    }
}
