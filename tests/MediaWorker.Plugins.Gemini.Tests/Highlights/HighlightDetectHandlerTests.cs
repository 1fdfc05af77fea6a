using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Tests.Support;
using MediaWorker.Testing.Gemini;
using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Highlights;

public sealed class HighlightDetectHandlerTests : RigTests
{
    [Test]
    public async Task RulesFallback_WithoutAKey_FindsTheLoudSectionAtTheRightTime()
    {
        Rig.Settings["GEMINI_API_KEY"] = null;
        var input = await TestMedia.CopyIntoAsync(Rig, TestMedia.LoudClip(), "clips/loud.mp4");

        var output = await Rig.RunAsync("highlight_detect", new JsonObject { ["input_path"] = input, ["segment_strategy"] = "fixed", ["window_seconds"] = 5 });

        Assert.That(output["scoring"]!.GetValue<string>(), Is.EqualTo("rules"));
        Assert.That(output["fallback_reason"]!.GetValue<string>(), Is.EqualTo("GEMINI_API_KEY is not set"));
        var highlight = output["highlights"]!.AsArray().Single()!;
        Assert.That(highlight["start"]!.GetValue<double>(), Is.EqualTo(TestMedia.LoudStart).Within(0.5));
        Assert.That(highlight["end"]!.GetValue<double>(), Is.EqualTo(TestMedia.LoudEnd).Within(0.5));
        Assert.That(highlight["dimension_scores"]!["loudness"]!.GetValue<double>(), Is.GreaterThan(0.9));
        Assert.That(highlight["dimension_scores"]!.AsObject().Select(d => d.Key), Is.EquivalentTo(new[] { "loudness", "loudness_peak", "scene_density" }));
        Assert.That(highlight["confidence"]!.GetValue<double>(), Is.EqualTo(0.5));
        Assert.That(output["segments"]!.AsArray(), Has.Count.EqualTo(9));
        Assert.That(Rig.Server.Requests, Is.Empty);
    }

    [Test]
    public async Task RulesFallback_WhenGeminiKeepsFailing_SaysWhyAndStillDeletesTheUpload()
    {
        var input = await TestMedia.CopyIntoAsync(Rig, TestMedia.LoudAudioClip(), "loud.m4a");
        for (var i = 0; i < 3; i++)
        {
            Rig.Server.Enqueue("generateContent", FakeReply.Error(503, "UNAVAILABLE", "The model is overloaded."));
        }

        var output = await Rig.RunAsync("highlight_detect", new JsonObject { ["input_path"] = input, ["window_seconds"] = 5 });

        Assert.That(output["scoring"]!.GetValue<string>(), Is.EqualTo("rules"));
        Assert.That(output["segment_strategy"]!.GetValue<string>(), Is.EqualTo("fixed"), "audio has no scenes");
        Assert.That(output["fallback_reason"]!.GetValue<string>(), Does.StartWith("Gemini was unavailable").And.Contain("503 UNAVAILABLE"));
        var highlight = output["highlights"]!.AsArray().Single()!;
        Assert.That(highlight["start"]!.GetValue<double>(), Is.EqualTo(TestMedia.LoudStart).Within(0.5));
        Assert.That(highlight["dimension_scores"]!.AsObject().Select(d => d.Key), Is.EquivalentTo(new[] { "loudness", "loudness_peak" }));
        Assert.That(Rig.Server.DeletedFiles, Has.Count.EqualTo(1));
        Assert.That(Rig.Server.StoredFiles, Is.Empty);
    }

    [Test]
    public async Task GeminiScoring_MergesWithinBounds_AppliesTheConfidenceThreshold_AndEnqueuesClips()
    {
        var input = await TestMedia.CopyIntoAsync(Rig, TestMedia.LoudClip(), "loud.mp4");
        var transcript = Rig.WriteInput("loud.transcript.json", Samples.TranscriptJson(segments: 3, segmentSeconds: 15));
        Rig.Server.ProcessingPolls = 2;
        Rig.Server.DefaultGenerate = FakeReply.HighlightScorer(i => i is 4 or 5 or 7 or 8, i => i == 8 ? 0.2 : 0.9);
        var context = Rig.Context("highlight_detect", new JsonObject
        {
            ["input_path"] = input,
            ["transcript_path"] = transcript,
            ["segment_strategy"] = "fixed",
            ["window_seconds"] = 5,
            ["enqueue_clips"] = true,
        });

        var output = await Rig.RunAsync(context);

        Assert.That(output["scoring"]!.GetValue<string>(), Is.EqualTo("gemini"));
        Assert.That(output.ContainsKey("fallback_reason"), Is.False);
        Assert.That(output["rubric"]!.GetValue<string>(), Is.EqualTo("general"));
        var highlights = output["highlights"]!.AsArray();
        Assert.That(highlights.Select(h => (h!["start"]!.GetValue<double>(), h["end"]!.GetValue<double>())), Is.EqualTo(new[] { (20.0, 30.0), (32.5, 42.5) }), "4+5 merge; 7 alone is widened to 10 s; 8 lacks confidence");
        Assert.That(highlights[0]!["score"]!.GetValue<double>(), Is.EqualTo(((0.35 * 0.9) + (0.25 * 0.8) + (0.25 * 0.9) + 0.15) / 1.0).Within(1e-4));
        Assert.That(highlights[0]!["dimension_scores"]!["standalone"]!.GetValue<double>(), Is.EqualTo(1));
        Assert.That(highlights[0]!["reason"]!.GetValue<string>(), Is.EqualTo("Segment 4 is gripping. Segment 5 is gripping."));
        Assert.That(context.EnqueuedFollowUps.Select(f => (f.TaskType, f.Parameters.ToJsonString())), Is.EqualTo(new[]
        {
            ("clip_extract", """{"input_path":"loud.mp4","start":20,"end":30}"""),
            ("clip_extract", """{"input_path":"loud.mp4","start":32.5,"end":42.5}"""),
        }));
        Assert.That(output["clip_jobs"]!.AsArray(), Has.Count.EqualTo(2));
        var sent = Rig.Server.RequestsTo("generateContent").Single().Body!;
        Assert.That(sent["contents"]![0]!["parts"]![0]!["fileData"]!["mimeType"]!.GetValue<string>(), Is.EqualTo("video/mp4"));
        Assert.That(sent["contents"]![0]!["parts"]![1]!["text"]!.GetValue<string>(), Does.Contain("[3] 00:15-00:20 (15.0 s to 20.0 s): \"Segment 1 talks about topic number 1.\""));
        var schema = sent["generationConfig"]!["responseSchema"]!["properties"]!["segments"]!;
        Assert.That(schema["minItems"]!.GetValue<int>(), Is.EqualTo(9));
        Assert.That(schema["items"]!["properties"]!["scores"]!["properties"]!["standalone"]!["type"]!.GetValue<string>(), Is.EqualTo("BOOLEAN"));
        Assert.That(Rig.Server.StoredFiles, Is.Empty, "the upload is deleted after use");
        Assert.That(Rig.Server.Violations, Is.Empty);
    }

    [Test]
    public async Task ACustomRubric_IsSentAsTypedRangedDimensions_AndItsThresholdsApply()
    {
        var input = await TestMedia.CopyIntoAsync(Rig, TestMedia.LoudAudioClip(), "loud.m4a");
        Rig.Server.Enqueue("generateContent", request =>
        {
            var scores = request["generationConfig"]!["responseSchema"]!["properties"]!["segments"]!["items"]!["properties"]!["scores"]!;
            Assert.That(scores["properties"]!["funny"]!["maximum"]!.GetValue<double>(), Is.EqualTo(5));
            var entries = Enumerable.Range(0, 3).Select(i => (JsonNode)new JsonObject { ["index"] = i, ["scores"] = new JsonObject { ["funny"] = i == 1 ? 4 : 1 }, ["confidence"] = 0.8, ["reason"] = "r" }).ToArray();
            return FakeReply.Answer(new JsonObject { ["segments"] = new JsonArray(entries) });
        });
        var rubric = new JsonObject
        {
            ["name"] = "comedy",
            ["dimensions"] = new JsonArray(new JsonObject { ["name"] = "funny", ["type"] = "numeric", ["range"] = new JsonArray(1, 5), ["weight"] = 1, ["prompt"] = "How funny?", ["examples"] = new JsonArray(new JsonObject { ["context"] = "a pun", ["score"] = 3 }) }),
            ["highlight_threshold"] = 0.7,
        };

        var output = await Rig.RunAsync("highlight_detect", new JsonObject { ["input_path"] = input, ["rubric"] = rubric, ["window_seconds"] = 15, ["min_highlight_seconds"] = 15 });

        Assert.That(output["rubric"]!.GetValue<string>(), Is.EqualTo("comedy"));
        var highlight = output["highlights"]!.AsArray().Single()!;
        Assert.That((highlight["start"]!.GetValue<double>(), highlight["end"]!.GetValue<double>()), Is.EqualTo((15.0, 30.0)));
        Assert.That(highlight["score"]!.GetValue<double>(), Is.EqualTo(0.75));
        var system = Rig.Server.RequestsTo("generateContent").Single().Body!["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>();
        Assert.That(system, Does.Contain("funny (a number from 1 to 5): How funny?").And.Contain("Example: a pun -> 3"));
    }

    [Test]
    public async Task ScoringGemini_DoesNotFallBack_A429IsRetryableWithTheServersDelay()
    {
        var input = await TestMedia.CopyIntoAsync(Rig, TestMedia.LoudAudioClip(), "loud.m4a");
        Rig.Server.Enqueue("generateContent", FakeReply.Error(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", retryDelay: "40s"));

        var ex = Assert.ThrowsAsync<RetryableJobException>(() => Rig.RunAsync("highlight_detect", new JsonObject { ["input_path"] = input, ["scoring"] = "gemini" }));

        Assert.That(ex!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(40)));
        Assert.That(Rig.Server.StoredFiles, Is.Empty);
    }

    [Test]
    public async Task ASafetyBlock_IsPermanentEvenInAutoMode()
    {
        var input = await TestMedia.CopyIntoAsync(Rig, TestMedia.LoudAudioClip(), "loud.m4a");
        Rig.Server.Enqueue("generateContent", FakeReply.PromptBlocked());

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Rig.RunAsync("highlight_detect", new JsonObject { ["input_path"] = input }));

        Assert.That(ex!.Message, Does.Contain("block reason SAFETY"));
    }

    [TestCase("""{"min_highlight_seconds":60,"max_highlight_seconds":30}""", "min_highlight_seconds (60) is above max_highlight_seconds (30)")]
    [TestCase("""{"window_seconds":60,"max_highlight_seconds":30}""", "window_seconds (60) is above max_highlight_seconds (30)")]
    [TestCase("""{"segment_strategy":"scenes"}""", "segment_strategy 'scenes' needs a video")]
    [TestCase("""{"rubric":{"dimensions":[{"name":"a","type":"numeric","weight":1,"prompt":"p"},{"name":"A","type":"boolean","weight":1,"prompt":"p"}]}}""", "has 'a' more than once")]
    [TestCase("""{"rubric":{"dimensions":[{"name":"a","type":"numeric","range":[0,5],"weight":1,"prompt":"p","examples":[{"context":"c","score":9}]}]}}""", "rubric.dimensions[0].examples[0].score 9 is outside the dimension's range 0-5")]
    [TestCase("""{"rubric":{"dimensions":[{"name":"a","type":"boolean","range":[0,5],"weight":1,"prompt":"p"}]}}""", "range applies to numeric dimensions only")]
    public async Task BadRequests_FailPermanentlyBeforeAnyCall(string extra, string expected)
    {
        var input = await TestMedia.CopyIntoAsync(Rig, TestMedia.LoudAudioClip(), "loud.m4a");
        var parameters = (JsonObject)JsonNode.Parse(extra)!;
        parameters["input_path"] = input;

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Rig.RunAsync("highlight_detect", parameters));

        Assert.That(ex!.Message, Does.Contain(expected));
        Assert.That(Rig.Server.Requests, Is.Empty);
    }
}
