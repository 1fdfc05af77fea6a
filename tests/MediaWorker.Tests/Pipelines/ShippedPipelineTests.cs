using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaWorker.Pipelines.Runs;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Pipelines;

/// <summary>
/// The definitions in pipelines/ against the published plugins: each validates, and video_qa and
/// clip_review run end to end on a video ffmpeg makes (lavfi), with the speech steps on the
/// whisper.cpp test model and no Gemini key, so the Gemini steps are optional steps skipped with
/// the plugin's reason.
/// </summary>
public sealed class ShippedPipelineTests
{
    private static string Definition(string name) => Path.Combine(RepoPaths.Root, "pipelines", name + ".json");

    private static DaemonEnvironment Environment()
    {
        var env = new DaemonEnvironment();
        env.Environment["PLUGIN_DIR"] = RepoPaths.PublishedPlugins;
        env.Environment["WHISPER_MODEL_PATH"] = Path.Combine(RepoPaths.Root, "tests", "MediaWorker.Plugins.Speech.Tests", "TestData", "for-tests-ggml-tiny.en.bin");
        env.Environment["LOG_LEVEL"] = "warning";
        return env;
    }

    private static string MakeVideo(string directory)
    {
        var path = Path.Combine(directory, "talk.mp4");
        var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", [
            "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=4", "-f", "lavfi", "-i", "color=c=red:size=320x240:rate=25:duration=3",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=7", "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]", "-map", "[v]", "-map", "2:a",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path]) { RedirectStandardError = true })!;
        ffmpeg.WaitForExit();
        Assert.That(ffmpeg.ExitCode, Is.Zero, ffmpeg.StandardError.ReadToEnd());
        return path;
    }

    [TestCase("video_qa")]
    [TestCase("highlights")]
    [TestCase("clip_review")]
    public async Task TheShippedDefinition_IsValid_AgainstThePublishedPlugins(string name)
    {
        using var env = Environment();
        env.Environment["GEMINI_API_KEY"] = "set-for-validation";
        var (code, output) = await env.CliAsync("pipeline", "validate", Definition(name));
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain($"{name}: valid").And.Not.Contain("warning"));
    }

    [Test]
    public async Task VideoQa_And_ClipReview_RunEndToEnd_WithTheGeminiStepsSkipped()
    {
        using var env = Environment();
        var video = MakeVideo(env.ServerDirectory);
        env.StartWorker("shipped-1");
        var input = new JsonObject { ["path"] = video }.ToJsonString();

        var (qaCode, qaOutput) = await env.CliAsync("pipeline", "run", Definition("video_qa"), "--input", input, "--wait", "--wait-timeout", "3m");
        var qa = JsonNode.Parse(qaOutput[qaOutput.IndexOf('{', StringComparison.Ordinal)..])!;
        Assert.That(qaCode, Is.Zero, qaOutput);
        Assert.That(qa["status"]!.GetValue<string>(), Is.EqualTo(PipelineStatus.Completed));
        var steps = qa["steps"]!.AsArray().ToDictionary(s => s!["step"]!.GetValue<string>(), s => s!);
        foreach (var ran in new[] { "probe", "audio", "transcribe", "scenes", "keyframes" })
        {
            Assert.That(steps[ran]["status"]!.GetValue<string>(), Is.EqualTo("completed"), $"{ran}: {steps[ran].ToJsonString()}");
        }

        Assert.That(steps["scenes"]["output"]!["scene_count"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(2), "the red tail is a second scene");
        Assert.That(steps["keyframes"]["output"]!["frame_count"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(1));
        Assert.That(steps["vision"]["status"]!.GetValue<string>(), Is.EqualTo("skipped"));
        Assert.That(steps["vision"]["error"]!.GetValue<string>(), Does.Contain("optional step skipped").And.Contain("GEMINI_API_KEY"));
        Assert.That(steps["embed"]["status"]!.GetValue<string>(), Is.EqualTo("skipped"), "the test model's transcript is empty: when is false");

        var (crCode, crOutput) = await env.CliAsync("pipeline", "run", Definition("clip_review"), "--input", input, "--wait", "--wait-timeout", "3m");
        var review = JsonNode.Parse(crOutput[crOutput.IndexOf('{', StringComparison.Ordinal)..])!;
        Assert.That(crCode, Is.Zero, crOutput);
        var reviewSteps = review["steps"]!.AsArray().ToDictionary(s => s!["step"]!.GetValue<string>(), s => s!);
        Assert.That(reviewSteps["sprites"]["output"]!["sheet_count"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(1));
        Assert.That(File.Exists(reviewSteps["sprites"]["output"]!["vtt_path"]!.GetValue<string>()), Is.True);
        Assert.That(reviewSteps["embed"]["status"]!.GetValue<string>(), Is.EqualTo("skipped"));
        Assert.That(reviewSteps["embed"]["items"]!.GetValue<int>(), Is.EqualTo(reviewSteps["keyframes"]["output"]!["frame_count"]!.GetValue<int>()), "one embed job per keyframe");
    }
}
