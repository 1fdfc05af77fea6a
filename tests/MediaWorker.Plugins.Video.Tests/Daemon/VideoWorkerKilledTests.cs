using System.Globalization;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Daemon;

/// <summary>A worker killed with SIGKILL in the middle of a transcode leaves no ffmpeg running and, once the job's next attempt ends, no scratch.</summary>
[NonParallelizable]
public sealed class VideoWorkerKilledTests
{
    [Test]
    public async Task AWorkerKilledDuringATranscode_LeavesNoFfmpegOfThatJob_AfterTheRestart()
    {
        using var daemon = new VideoDaemon();
        daemon.Environment["WORKER_LEASE_SECONDS"] = "2";
        await daemon.StartAsync();
        var input = daemon.AddMedia(VideoTestSetUp.Clips.Main);
        var parameters = new JsonObject { ["input_path"] = input, ["container"] = "webm", ["preset"] = "veryslow", ["crf"] = 4 };
        var (_, jobId, _) = await daemon.CliAsync("submit", "transcode", "--params", parameters.ToJsonString(), "--max-retries", "3");
        Assert.That(await Eventually(() => FfmpegOf(jobId).Count > 0), Is.True, "ffmpeg started for the job");
        var scratch = Path.Combine(daemon.Root, "compute", "jobs", jobId, "scratch-1");

        daemon.Worker!.Kill();
        Assert.That(await daemon.Worker.WaitForExitAsync(TimeSpan.FromSeconds(10)), Is.True);
        await daemon.StartAsync();

        Assert.That(await Eventually(() => FfmpegOf(jobId).All(p => p.Attempt != 1)), Is.True, "no ffmpeg of the killed attempt: " + string.Join(" | ", FfmpegOf(jobId).Select(p => p.CommandLine)));
        // The next attempt runs (after the lease and the retry delay); ending it must remove the killed attempt's scratch too.
        Assert.That(await Eventually(() => FfmpegOf(jobId).Any(p => p.Attempt > 1)), Is.True, "the job's next attempt started");
        var (exit, _, output) = await daemon.CliAsync("cancel", jobId);
        Assert.That(exit, Is.Zero, output);
        Assert.That(await Eventually(() => FfmpegOf(jobId).Count == 0 && !Directory.Exists(scratch)), Is.True, "the reclaimed attempt ended: no ffmpeg, and the killed attempt's scratch is gone");
    }

    /// <summary>Every ffmpeg on the machine whose command line writes into the job's folder, with the attempt whose scratch it writes to.</summary>
    private static List<(int Pid, int Attempt, string CommandLine)> FfmpegOf(string jobId)
    {
        var found = new List<(int, int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string[] argv;
            try
            {
                argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            var marker = $"/jobs/{jobId}/scratch-";
            var output = argv.FirstOrDefault(a => a.Contains(marker, StringComparison.Ordinal));
            if (argv.Length > 0 && Path.GetFileName(argv[0]) == "ffmpeg" && output is not null)
            {
                var attempt = int.Parse(output[(output.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Split('/')[0], CultureInfo.InvariantCulture);
                found.Add((pid, attempt, string.Join(' ', argv)));
            }
        }

        return found;
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return condition();
    }
}
