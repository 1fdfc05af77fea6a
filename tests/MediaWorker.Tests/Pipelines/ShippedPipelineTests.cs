using System.Text.Json.Nodes;
using MediaWorker.Pipelines.Runs;
using MediaWorker.Testing.Gemini;
using MediaWorker.Tests.Pipelines.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Pipelines;

/// <summary>
/// The definitions in pipelines/ against the published plugins: each validates, and video_qa and
/// clip_review run end to end in a real worker on a video ffmpeg makes (lavfi), with the speech
/// steps on the whisper.cpp test model and the Gemini steps executing against the fake Gemini server.
/// </summary>
public sealed class ShippedPipelineTests
{
    [TestCase("video_qa")]
    [TestCase("highlights")]
    [TestCase("clip_review")]
    public async Task TheShippedDefinition_IsValid_AgainstThePublishedPlugins(string name)
    {
        await using var rig = await ShippedPipelineRig.StartAsync();
        var (code, output) = await rig.Environment.CliAsync("pipeline", "validate", ShippedPipelineRig.Definition(name));
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain($"{name}: valid").And.Not.Contain("warning"));
    }

    [Test]
    public async Task VideoQa_RunsEndToEnd_WithAiAnalyzeExecutingAgainstTheFake()
    {
        await using var rig = await ShippedPipelineRig.StartAsync();
        var video = await PipelineMedia.ToneVideoAsync(rig.Environment.ServerDirectory);
        await rig.StartWorkerAsync("shipped-qa");

        var qa = await rig.RunAsync(ShippedPipelineRig.Definition("video_qa"), new JsonObject { ["path"] = video });

        Assert.That(qa.ExitCode, Is.Zero, qa.Output);
        Assert.That(qa.Status, Is.EqualTo(PipelineStatus.Completed));
        qa.AssertCompleted("probe", "audio", "transcribe", "scenes", "keyframes", "vision");
        Assert.That(qa.StepOutput("scenes")["scene_count"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(2), "the red tail is a second scene");
        Assert.That(qa.StepOutput("keyframes")["frame_count"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(1));
        Assert.That(qa.StepOutput("transcribe")["transcript_path"]!.GetValue<string>(), Does.EndWith(".json"));
        var vision = qa.StepOutput("vision");
        Assert.That(vision["title"]!.GetValue<string>(), Is.EqualTo(ShippedPipelineRig.AnalysisTitle));
        Assert.That(vision["model"]!.GetValue<string>(), Is.EqualTo("fake-model-001"));
        Assert.That(vision["timeline"]!.AsArray().Select(t => t!["timestamp"]!.GetValue<string>()), Is.EqualTo(new[] { "00:00", "00:04" }), "sorted by the plugin");
        Assert.That(qa.StepStatus("embed"), Is.EqualTo("skipped"));
        Assert.That(qa.StepError("embed"), Does.StartWith("when is false"), "the test model's transcript is empty");

        // The analysis really went over the Gemini REST API: the recording was uploaded, analysed, and deleted.
        Assert.That(rig.Gemini.RequestsTo("upload.start").Count(), Is.EqualTo(1));
        Assert.That(rig.Gemini.RequestsTo("generateContent").Single().Model, Is.EqualTo("fake-flash"));
        Assert.That(rig.Gemini.StoredFiles, Is.Empty, "the upload is deleted after the analysis");
        Assert.That(rig.Gemini.Violations, Is.Empty);
    }

    [Test]
    public async Task ClipReview_RunsEndToEnd_DescribingTheClipAndEmbeddingTheDescription()
    {
        await using var rig = await ShippedPipelineRig.StartAsync();
        var video = await PipelineMedia.ToneVideoAsync(rig.Environment.ServerDirectory);
        await rig.StartWorkerAsync("shipped-review");

        var review = await rig.RunAsync(ShippedPipelineRig.Definition("clip_review"), new JsonObject { ["path"] = video });

        Assert.That(review.ExitCode, Is.Zero, review.Output);
        review.AssertCompleted("sprites", "keyframes", "describe", "embed");
        Assert.That(review.StepOutput("sprites")["sheet_count"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(1));
        Assert.That(File.Exists(review.StepOutput("sprites")["vtt_path"]!.GetValue<string>()), Is.True);
        Assert.That(review.StepOutput("keyframes")["frame_count"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(1));
        Assert.That(review.StepOutput("describe")["mode"]!.GetValue<string>(), Is.EqualTo("deep"));
        Assert.That(review.StepOutput("describe")["visualAudit"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(rig.Gemini.RequestsTo("generateContent").Single().Model, Is.EqualTo("fake-pro"), "deep mode uses GEMINI_DEEP_MODEL");

        // The description's summary is what was embedded: the vector in the file is the fake's vector of that text.
        var embed = review.StepOutput("embed");
        Assert.That(embed["count"]!.GetValue<int>(), Is.EqualTo(1));
        var written = JsonNode.Parse(File.ReadAllText(embed["path"]!.GetValue<string>()))!;
        var vector = written["items"]![0]!["vector"]!.AsArray().Select(v => v!.GetValue<float>());
        Assert.That(vector, Is.EqualTo(FakeGeminiServer.VectorOf(ShippedPipelineRig.AnalysisSummary, embed["dims"]!.GetValue<int>())).Within(1e-6));
        var embedded = rig.Gemini.RequestsTo("embedContent").Concat(rig.Gemini.RequestsTo("batchEmbedContents")).Single();
        Assert.That(embedded.Body!.ToJsonString(), Does.Contain(ShippedPipelineRig.AnalysisTitle), "the title goes along with the document");
        Assert.That(rig.Gemini.Violations, Is.Empty);
    }
}
