using Dapper;
using MediaWorker.Execution;
using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Cli;

/// <summary>Issue 11, item 13: the command line as a new user meets it, through the published binary.</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class CliHardeningTests
{
    [Test]
    public async Task AnUnknownCommand_IsNamed()
    {
        using var env = new DaemonEnvironment();

        var (exit, output) = await env.CliAsync("frobnicate");

        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("unknown command 'frobnicate'").And.Contain("submit"));
    }

    [Test]
    public async Task SubmittingATaskTypeNothingServes_Warns_SayingWhoServesIt_AndHowToListTaskTypes()
    {
        using var env = new DaemonEnvironment();

        var (exit, output) = await env.CliAsync("submit", "imgae_resize");

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("no loaded plugin offers task type 'imgae_resize'"));
        Assert.That(output, Does.Contain("workers serving it: none known"));
        Assert.That(output, Does.Contain("mediaworker plugins"));
        Assert.That(Guid.TryParse(output.Trim().Split('\n').Last(), out _), Is.True, "the job id stays alone on the last line: " + output);
        using var db = env.Open();
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE task_type = 'imgae_resize'"), Is.EqualTo(1));
    }

    [Test]
    public async Task SubmittingATaskTypeNothingServes_WithStrict_IsRefused_AndQueuesNothing()
    {
        using var env = new DaemonEnvironment();

        var (exit, output) = await env.CliAsync("submit", "imgae_resize", "--strict");

        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("no loaded plugin offers task type 'imgae_resize'").And.Contain("Not queued (--strict)"));
        using var db = env.Open();
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs"), Is.Zero);
    }

    [Test]
    public async Task SubmittingAServedTaskType_DoesNotWarn()
    {
        using var env = new DaemonEnvironment();

        var (exit, output) = await env.CliAsync("submit", "sleep", "--strict", "--param", "seconds=0");

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Not.Contain("warning"));
    }

    [Test]
    public async Task ATaskTypeALiveWorkerServes_IsQueuedWithoutAWarning_ThoughNoLocalPluginOffersIt()
    {
        using var env = new DaemonEnvironment();
        using (var db = env.Open())
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            WorkerHeartbeats.Upsert(db, new WorkerHeartbeatRow
            {
                WorkerId = "gpu-box",
                Host = "gpu-box",
                Pid = 4242,
                Capabilities = "[\"render_scene\"]",
                Slots = 1,
                StartedAt = now,
                LastSeen = now,
                HeartbeatTimeoutMs = 60_000,
            });
            WorkerHeartbeats.Upsert(db, new WorkerHeartbeatRow
            {
                WorkerId = "gone-box",
                Host = "gone-box",
                Pid = 4243,
                Capabilities = "[\"paint_scene\"]",
                Slots = 1,
                StartedAt = now - 600_000,
                LastSeen = now - 600_000,
                HeartbeatTimeoutMs = 60_000,
            });
        }

        var (served, quiet) = await env.CliAsync("submit", "render_scene", "--strict");
        var (gone, warned) = await env.CliAsync("submit", "paint_scene");

        Assert.That(served, Is.Zero, quiet);
        Assert.That(quiet, Does.Not.Contain("warning"));
        Assert.That(gone, Is.Zero, warned);
        Assert.That(warned, Does.Contain("no loaded plugin offers task type 'paint_scene'"), "a worker whose heartbeat has aged out serves nothing");
    }

    [Test]
    public async Task DuplicateKeysInParams_AreRefusedAtSubmit_NamingTheKey()
    {
        using var env = new DaemonEnvironment();

        var (exit, output) = await env.CliAsync("submit", "sleep", "--params", "{\"seconds\": 0, \"seconds\": 99999}");

        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("--params has the key 'seconds' more than once"));
        using var db = env.Open();
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs"), Is.Zero);
    }

    /// <summary>
    /// The old lock folder, /tmp/mediaworker-locks, was made 0755 by whoever ran a worker first;
    /// another user's worker could not create its lock there and did not start.
    /// </summary>
    [Test]
    public async Task AWorkerOfAnotherUser_Starts_ThoughAnotherUserRanWorkersBefore()
    {
        SecondUser.Require();

        // What the first user's worker left behind on this machine with the old build.
        var shared = Path.Combine(Path.GetTempPath(), "mediaworker-locks");
        Directory.CreateDirectory(shared);
        await ExternalTool.RunCheckedAsync("chmod", "0755", shared);

        using var env = new DaemonEnvironment();
        await SecondUser.GiveAsync(env.ServerDirectory);
        using var worker = SecondUser.StartWorker(env, "w-second-user");

        Assert.That(await worker.WaitForOutputAsync("Worker w-second-user started", TimeSpan.FromSeconds(30)), Is.True, worker.OutputText);
        Assert.That(File.Exists(InstanceLock.PathFor("w-second-user", env.DatabasePath)), Is.True, "the lock sits beside the database");
    }
}
