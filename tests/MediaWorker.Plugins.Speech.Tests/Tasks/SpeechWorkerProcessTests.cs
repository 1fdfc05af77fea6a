using System.Text.Json.Nodes;
using MediaWorker.Plugins.Speech.Tests.Support;
using MediaWorker.Plugins.Speech.Transcripts;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Tasks;

/// <summary>
/// The Speech plugin as a user runs it: the published daemon loads publish/plugins/Speech (with
/// the libwhisper.so the set-up hook installed there), and jobs go in and out through the CLI.
/// </summary>
public sealed class SpeechWorkerProcessTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Transcribe_RunsInARealWorker_AndABadInputFailsWithoutStoppingIt()
    {
        Assert.That(File.Exists(Path.Combine(RepoPaths.PublishedPlugins, "Speech", "libwhisper.so")), Is.True, "run ./start_worker.sh --build-only (./run_tests.sh does) first");
        using var server = new TempDirectory("speech-worker");
        File.Copy(SpeechAssets.SentenceWav, server.Combine("jfk.wav"));
        Directory.CreateDirectory(server.Combine("compute"));
        File.WriteAllText(server.Combine("compute", "notes.wav"), "not audio"); // relative paths resolve under COMPUTE_STORAGE_DIR
        var environment = new Dictionary<string, string?>
        {
            ["CL_SERVER_DIR"] = server.Path,
            ["DATABASE_URL"] = server.Combine("media_store.db"),
            ["PLUGIN_DIR"] = RepoPaths.PublishedPlugins,
            ["MEDIA_ALLOWED_ROOTS"] = server.Path,
            ["WHISPER_MODEL_PATH"] = SpeechAssets.TestModel,
            ["LOG_LEVEL"] = "information",
        };
        using var worker = WorkerProcess.Start(["run", "--worker-id", "speech-" + Guid.NewGuid().ToString("N")[..8], "--tasks", "transcribe,wake_word_detect", "--concurrency", "1"], environment);
        Assert.That(await worker.WaitForOutputAsync(" started (pid", Startup), Is.True, worker.OutputText);

        var bad = await SubmitAsync(environment, "transcribe", new JsonObject { ["input_path"] = "notes.wav" });
        var good = await SubmitAsync(environment, "transcribe", new JsonObject { ["input_path"] = server.Combine("jfk.wav"), ["max_segment_length"] = 42 });

        Assert.Multiple(() =>
        {
            Assert.That((string?)bad["status"], Is.EqualTo("failed"), bad.ToJsonString());
            Assert.That((string?)bad["error_message"], Does.Contain("input_path 'notes.wav' cannot be transcribed"));
            Assert.That((int?)bad["attempts"], Is.EqualTo(1), "a bad input is not retried");
            Assert.That((string?)good["status"], Is.EqualTo("completed"), good.ToJsonString() + "\n" + worker.OutputText);
            Assert.That(worker.HasExited, Is.False);
        });
        var output = good["output"]!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)output["language"], Is.EqualTo("en"));
            Assert.That((double)output["duration"]!, Is.EqualTo(SpeechAssets.SentenceSeconds).Within(0.01));
            Assert.That(output["segments"]!.AsArray(), Is.Empty, "whisper.cpp's test model has no weights and emits no segments");
            Assert.That(File.Exists((string)output["transcript_path"]!), Is.True);
            Assert.That(worker.OutputText, Does.Contain("Speech: loaded the tiny Whisper model"));
        });
    }

    [Test]
    public async Task WakeWordClips_BecomeClipExtractJobs_ThatTheVideoPluginRuns()
    {
        using var server = new TempDirectory("speech-worker");
        File.Copy(SpeechAssets.SentenceWav, server.Combine("jfk.wav"));
        var transcript = server.Combine("transcript.json");
        await TranscriptJson.WriteAsync(TestTranscripts.Of(4.0, "ask not what your country can do for you"), transcript, CancellationToken.None);
        var environment = new Dictionary<string, string?>
        {
            ["CL_SERVER_DIR"] = server.Path,
            ["DATABASE_URL"] = server.Combine("media_store.db"),
            ["PLUGIN_DIR"] = RepoPaths.PublishedPlugins,
            ["MEDIA_ALLOWED_ROOTS"] = server.Path,
            ["WHISPER_MODEL_PATH"] = SpeechAssets.TestModel,
        };
        using var worker = WorkerProcess.Start(["run", "--worker-id", "speech-" + Guid.NewGuid().ToString("N")[..8], "--tasks", "wake_word_detect,clip_extract"], environment);
        Assert.That(await worker.WaitForOutputAsync(" started (pid", Startup), Is.True, worker.OutputText);

        var row = await SubmitAsync(environment, "wake_word_detect", new JsonObject
        {
            ["transcript_path"] = transcript,
            ["input_path"] = server.Combine("jfk.wav"),
            ["wake_words"] = new JsonArray("your country"),
            ["clip"] = new JsonObject { ["pre_seconds"] = 0.5, ["post_seconds"] = 1, ["enqueue"] = true },
        });

        Assert.That((string?)row["status"], Is.EqualTo("completed"), row.ToJsonString());
        var clipId = (string)row["output"]!["clip_job_ids"]![0]!;
        var clip = await WaitForFinalRowAsync(environment, clipId);
        Assert.Multiple(() =>
        {
            // "your country" are words 4-5 of the segment starting at 4.0 s: 5.5-6.4 s, so the clip is 5.0-7.4 s.
            Assert.That((string?)clip["task_type"], Is.EqualTo("clip_extract"));
            Assert.That((double)clip["params"]!["start"]!, Is.EqualTo(5.0));
            Assert.That((double)clip["params"]!["end"]!, Is.EqualTo(7.4));
            Assert.That((string?)clip["parent_job_id"], Is.EqualTo((string?)row["job_id"]));
            Assert.That((string?)clip["status"], Is.EqualTo("completed"), clip.ToJsonString() + "\n" + worker.OutputText);
        });
    }

    private static async Task<JsonObject> WaitForFinalRowAsync(Dictionary<string, string?> environment, string jobId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var (_, output) = await WorkerProcess.RunAsync(["job", jobId], environment);
            var row = JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!.AsObject();
            if ((string?)row["status"] is "completed" or "failed" or "cancelled" || DateTime.UtcNow > deadline)
            {
                return row;
            }

            await Task.Delay(200);
        }
    }

    private static async Task<JsonObject> SubmitAsync(Dictionary<string, string?> environment, string task, JsonObject parameters)
    {
        var (_, output) = await WorkerProcess.RunAsync(["submit", task, "--params", parameters.ToJsonString(), "--wait", "--wait-timeout", "2m"], environment, TimeSpan.FromMinutes(3));
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonNode.Parse(last) as JsonObject ?? throw new InvalidOperationException("submit printed no row:\n" + output);
    }
}
