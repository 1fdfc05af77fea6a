using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Daemon;

/// <summary>The Video plugin as users run it: loaded by a real worker process from its published folder.</summary>
[NonParallelizable]
public sealed class VideoWorkerProcessTests
{
    private VideoDaemon _daemon = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _daemon = new VideoDaemon();
        await _daemon.StartAsync();
    }

    [OneTimeTearDown]
    public void Stop() => _daemon.Dispose();

    [Test]
    public async Task Keyframes_RunInTheWorker_AndNameTheFilesWritten()
    {
        var input = _daemon.AddMedia(VideoTestSetUp.Clips.Main);

        var row = await _daemon.SubmitAndWaitAsync("keyframes", new JsonObject { ["input_path"] = input, ["max_frames"] = 2 });

        Assert.That(row["status"]!.GetValue<string>(), Is.EqualTo("completed"), row.ToJsonString());
        Assert.That(row["progress"]!.GetValue<int>(), Is.EqualTo(100));
        var files = row["output"]!["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        Assert.That(files, Has.Count.EqualTo(2));
        Assert.That(files, Has.All.Matches<string>(File.Exists));
        Assert.That(files, Has.All.StartsWith(Path.Combine(_daemon.Root, "compute", "jobs", row["job_id"]!.GetValue<string>(), "output")));
    }

    [Test]
    public async Task BadInput_FailsTheJobWithFfmpegsReason_AndTheWorkerKeepsRunning()
    {
        var input = _daemon.AddMedia(VideoTestSetUp.Clips.Truncated);

        var row = await _daemon.SubmitAndWaitAsync("video_probe", new JsonObject { ["input_path"] = input });

        Assert.That(row["status"]!.GetValue<string>(), Is.EqualTo("failed"));
        Assert.That(row["error_message"]!.GetValue<string>(), Is.EqualTo($"'{input}': moov atom not found: the MP4 is truncated or incomplete"));
        Assert.That(row["attempts"]!.GetValue<int>(), Is.EqualTo(1), "a permanent failure is not retried");
        Assert.That(_daemon.Worker!.HasExited, Is.False);
    }

    [Test]
    public async Task InvalidParameters_AreRefusedByTheSchema_BeforeFfmpegRuns()
    {
        var row = await _daemon.SubmitAndWaitAsync("sprite_sheet", new JsonObject { ["input_path"] = "a.mp4", ["columns"] = 0 });

        Assert.That(row["status"]!.GetValue<string>(), Is.EqualTo("failed"));
        Assert.That(row["error_message"]!.GetValue<string>(), Does.Contain("params.columns"));
    }

    [Test]
    public async Task CancellingARunningTranscode_KillsFfmpeg_AndLeavesNoOutput()
    {
        var input = _daemon.AddMedia(VideoTestSetUp.Clips.Main);
        var parameters = new JsonObject { ["input_path"] = input, ["container"] = "webm", ["preset"] = "veryslow", ["crf"] = 4 };
        var (_, jobId, _) = await _daemon.CliAsync("submit", "transcode", "--params", parameters.ToJsonString());

        var running = await Eventually(async () => (await _daemon.JobAsync(jobId))["progress"]!.GetValue<int>() > 0);
        Assert.That(running, Is.True, "the transcode reported progress");
        Assert.That(ChildProcesses.Of(_daemon.Worker!.Pid).Select(p => p.Command), Does.Contain("ffmpeg"));

        var (exit, _, output) = await _daemon.CliAsync("cancel", jobId);
        Assert.That(exit, Is.Zero, output);
        var cancelled = await Eventually(async () => (await _daemon.JobAsync(jobId))["status"]!.GetValue<string>() == "cancelled");

        Assert.That(cancelled, Is.True, (await _daemon.JobAsync(jobId)).ToJsonString());
        Assert.That(await Eventually(() => Task.FromResult(!ChildProcesses.Of(_daemon.Worker.Pid).Any(p => p.Command == "ffmpeg"))), Is.True, "no ffmpeg outlives the job");
        var jobFolder = Path.Combine(_daemon.Root, "compute", "jobs", jobId);
        var leftovers = Directory.Exists(jobFolder) ? Directory.GetFiles(jobFolder, "*", SearchOption.AllDirectories) : [];
        Assert.That(leftovers, Is.Empty, "neither a half-written output nor scratch files remain");
    }

    private static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }
}
