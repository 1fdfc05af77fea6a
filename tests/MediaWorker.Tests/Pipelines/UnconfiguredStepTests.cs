using System.Text.Json.Nodes;
using MediaWorker.Pipelines.Runs;
using MediaWorker.Tests.Pipelines.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Pipelines;

/// <summary>
/// Steps whose plugin is not configured, in a real worker that has neither a Whisper model (so it
/// does not offer transcribe) nor a Gemini key (so the Gemini tasks fail saying so): an optional
/// step is skipped with the reason and the run goes on; a required one fails the run with the reason.
/// </summary>
public sealed class UnconfiguredStepTests
{
    private const string SpeechRequired = """
        {"name": "speech_required", "steps": [
          {"name": "audio", "task": "audio_extract", "params": {"input_path": "${input.path}", "format": "wav"}},
          {"name": "transcribe", "task": "transcribe", "needs": "audio", "params": {"input_path": "${steps.audio.output.path}"}},
          {"name": "after", "task": "noop", "needs": "transcribe"}
        ]}
        """;

    private const string AnalysisRequired = """
        {"name": "analysis_required", "steps": [
          {"name": "analyse", "task": "ai_analyze", "max_retries": 0, "params": {"text": "${input.text}"}}
        ]}
        """;

    [Test]
    public async Task OptionalSteps_AreSkippedWithTheReason_RequiredOnes_FailTheRunWithIt()
    {
        await using var rig = await ShippedPipelineRig.StartAsync();
        var video = await PipelineMedia.SpeechVideoAsync(rig.Environment.ServerDirectory);
        // The CLI that submits has the model (so the definitions validate); the worker that runs them has neither.
        await rig.StartWorkerAsync("unconfigured", "WHISPER_MODEL_PATH", "GEMINI_API_KEY");
        var input = new JsonObject { ["path"] = video };

        var highlights = await rig.RunAsync(ShippedPipelineRig.Definition("highlights"), input);
        Assert.That(highlights.ExitCode, Is.Zero, highlights.Output);
        Assert.That(highlights.Status, Is.EqualTo(PipelineStatus.Completed));
        Assert.That(highlights.StepStatus("transcribe"), Is.EqualTo("skipped"));
        Assert.That(highlights.StepError("transcribe"), Does.StartWith("optional step skipped: no running worker offers task type 'transcribe'").And.Contain("unconfigured"));
        Assert.That(highlights.StepStatus("wake_words"), Is.EqualTo("skipped"));
        Assert.That(highlights.StepError("wake_words"), Does.StartWith("optional step skipped: no running worker offers task type 'wake_word_detect'"), "the speech plugin offers neither task without a model");
        Assert.That(highlights.StepStatus("wake_word_clips"), Is.EqualTo("skipped"));
        Assert.That(highlights.StepError("wake_word_clips"), Does.Contain("step 'wake_words', which was skipped"));
        highlights.AssertCompleted("audio", "detect", "highlight_clips", "done");
        Assert.That(highlights.StepOutput("detect")["fallback_reason"]!.GetValue<string>(), Is.EqualTo("GEMINI_API_KEY is not set"), "highlight_detect scores with rules without a key");

        var qa = await rig.RunAsync(ShippedPipelineRig.Definition("video_qa"), input);
        Assert.That(qa.ExitCode, Is.Zero, qa.Output);
        Assert.That(qa.StepStatus("vision"), Is.EqualTo("skipped"));
        Assert.That(qa.StepError("vision"), Does.StartWith("optional step skipped:").And.Contain("GEMINI_API_KEY is not set"), "the plugin's own reason");
        qa.AssertCompleted("probe", "audio", "scenes", "keyframes");

        var speech = await rig.RunAsync(Write(rig, "speech_required.json", SpeechRequired), input);
        Assert.That(speech.ExitCode, Is.EqualTo(1), speech.Output);
        Assert.That(speech.Status, Is.EqualTo(PipelineStatus.Failed));
        Assert.That(speech.StepStatus("transcribe"), Is.EqualTo("failed"));
        Assert.That(speech.Run["error"]!.GetValue<string>(), Does.StartWith("step 'transcribe' failed: no running worker offers task type 'transcribe'"));
        Assert.That(speech.StepStatus("after"), Is.Not.EqualTo("completed").And.Not.EqualTo("running"));

        var analysis = await rig.RunAsync(Write(rig, "analysis_required.json", AnalysisRequired), new JsonObject { ["text"] = "Words to analyse." });
        Assert.That(analysis.ExitCode, Is.EqualTo(1), analysis.Output);
        Assert.That(analysis.Status, Is.EqualTo(PipelineStatus.Failed));
        Assert.That(analysis.Run["error"]!.GetValue<string>(), Does.StartWith("step 'analyse' failed:").And.Contain("GEMINI_API_KEY is not set"));
        Assert.That(rig.Gemini.Requests, Is.Empty, "nothing reached Gemini without a key");
    }

    [Test]
    public async Task ARequiredStep_WhoseTaskNothingHereOffers_IsRefusedByValidation_NamingTheStep()
    {
        await using var rig = await ShippedPipelineRig.StartAsync();
        rig.Environment.Environment.Remove("WHISPER_MODEL_PATH");

        var (code, output) = await rig.Environment.CliAsync("pipeline", "validate", Write(rig, "speech_required.json", SpeechRequired));

        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("error: step 'transcribe': task: unknown task type 'transcribe'"));
    }

    private static string Write(ShippedPipelineRig rig, string name, string definition)
    {
        var path = Path.Combine(rig.Environment.ServerDirectory, name);
        File.WriteAllText(path, definition);
        return path;
    }
}
