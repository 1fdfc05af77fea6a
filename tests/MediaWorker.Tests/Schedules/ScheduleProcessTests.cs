using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.Storage;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Schedules;

/// <summary>Schedules and paused queues with real worker processes and the real CLI on one database.</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class ScheduleProcessTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    [Test]
    public async Task AScheduleFiringEverySecond_UnderThreeWorkers_StartsEveryOccurrenceExactlyOnce()
    {
        using var env = new DaemonEnvironment();
        var workers = Enumerable.Range(0, 3).Select(i => env.StartWorker($"w-tick-{i}", "--concurrency", "2")).ToList();
        foreach (var worker in workers)
        {
            Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);
        }

        var (added, addOutput) = await env.CliAsync("schedule", "add", "tick", "--cron", "* * * * * *", "--task", "noop");
        Assert.That(added, Is.Zero, addOutput);
        var addedAt = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(20));
        var (paused, pauseOutput) = await env.CliAsync("schedule", "pause", "tick");
        Assert.That(paused, Is.Zero, pauseOutput);
        var pausedAt = DateTimeOffset.UtcNow;

        using var db = env.Open();
        var occurrences = db.Query<string>("SELECT idempotency_key FROM jobs WHERE created_by = 'schedule:tick'")
            .Select(k => DateTimeOffset.Parse(k["schedule:tick@".Length..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal))
            .Order()
            .ToList();
        var expected = Enumerable.Range(0, (int)(occurrences[^1] - occurrences[0]).TotalSeconds + 1).Select(i => occurrences[0].AddSeconds(i));
        Assert.That(occurrences, Is.EqualTo(expected), "one job for every second, none twice");
        Assert.That(occurrences[0], Is.LessThan(addedAt.AddSeconds(3)));
        Assert.That(occurrences[^1], Is.GreaterThan(pausedAt.AddSeconds(-5)));
        Assert.That(occurrences, Has.Count.GreaterThanOrEqualTo(18));

        // Each occurrence was submitted by exactly one worker; the others found it started already.
        var submittedLines = workers.Sum(w => w.Output.Count(l => l.Contains("Schedule tick: occurrence", StringComparison.Ordinal)));
        Assert.That(submittedLines, Is.EqualTo(occurrences.Count), string.Join('\n', workers.Select(w => w.OutputText)));
        Assert.That(await DaemonEnvironment.EventuallyAsync(() => db.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE status <> 'completed'") == 0, TimeSpan.FromSeconds(20)), Is.True);
        TestContext.Out.WriteLine($"{occurrences.Count} occurrences; submitted by: {string.Join(", ", workers.Select(w => $"{w.Output.Count(l => l.Contains("Schedule tick: occurrence", StringComparison.Ordinal))}"))}");
    }

    [Test]
    public async Task APausedQueue_WaitsWithoutAWord_AndTheResumeWakesTheWorkerAtOnce()
    {
        using var env = new DaemonEnvironment();
        // A minute's poll: only the wake-up on the resume's commit can start the job quickly.
        using var worker = env.StartWorker("w-pause", "--poll-interval", "60");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);
        var (exit, output) = await env.CliAsync("pause", "noop", "--reason", "maintenance");
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("noop paused: its 0 queued job(s) wait until 'mediaworker resume noop'"));

        using var db = env.Open();
        var id = JobSubmitter.Submit(db, new NewJob("noop", "{}"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).JobId;
        var other = JobSubmitter.Submit(db, new NewJob("sleep", "{\"seconds\": 0}"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).JobId;
        Assert.That(await DaemonEnvironment.EventuallyAsync(() => JobAdministration.Find(db, other)!.Status == JobStatus.Completed, TimeSpan.FromSeconds(20)), Is.True, "other task types run");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.That(JobAdministration.Find(db, id)!.Status, Is.EqualTo(JobStatus.Queued));

        var (_, plugins) = await env.CliAsync("plugins");
        Assert.That(plugins, Does.Contain("PAUSED since").And.Contain("(maintenance): 'mediaworker resume noop' restarts it"));
        var (_, pluginsJson) = await env.CliAsync("plugins", "--json");
        Assert.That((string?)JsonNode.Parse(pluginsJson[pluginsJson.IndexOf('{', StringComparison.Ordinal)..])!["paused_queues"]![0]!["reason"], Is.EqualTo("maintenance"));

        var resumedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        PausedQueues.Resume(db, "noop");

        Assert.That(await DaemonEnvironment.EventuallyAsync(() => JobAdministration.Find(db, id)!.Status == JobStatus.Completed, TimeSpan.FromSeconds(20)), Is.True, worker.OutputText);
        var startedAfter = JobAdministration.Find(db, id)!.StartedAt!.Value - resumedAt;
        TestContext.Out.WriteLine($"resume to start: {startedAfter} ms");
        Assert.That(startedAfter, Is.LessThan(10_000), "well under the 60 s poll: the resume woke the claim loop");

        var (again, againOutput) = await env.CliAsync("resume", "noop");
        Assert.That(again, Is.EqualTo(1));
        Assert.That(againOutput, Does.Contain("Task type 'noop' is not paused; nothing to resume."));
    }

    [Test]
    public async Task TheScheduleCommands_AddListPauseResumeRemove_WithClearErrors()
    {
        using var env = new DaemonEnvironment();
        var (exit, output) = await env.CliAsync("schedule", "add", "nightly", "--cron", "0 3 * * *", "--task", "noop", "--time-zone", "Europe/Berlin", "--param", "n=1");
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("nightly added: job noop (priority 5), cron '0 3 * * *', catch-up skip; next run").And.Contain("03:00:00 Europe/Berlin"));

        (exit, output) = await env.CliAsync("schedule", "add", "nightly", "--cron", "0 4 * * *", "--task", "noop");
        Assert.That(exit, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("A schedule named 'nightly' exists already; remove it first or add --replace."));
        (exit, output) = await env.CliAsync("schedule", "add", "bad", "--cron", "* *", "--task", "noop");
        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("has 2 field(s)"));
        (exit, output) = await env.CliAsync("schedule", "add", "bad", "--cron", "* * * * *", "--task", "noop", "--time-zone", "Nowhere/Land");
        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("The time zone 'Nowhere/Land' is not known"));

        (exit, output) = await env.CliAsync("schedule", "pause", "nightly");
        Assert.That(output, Does.Contain("nightly paused").And.Contain("no next run (paused)"));
        (exit, output) = await env.CliAsync("schedule", "list");
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("nightly").And.Contain("Europe/Berlin").And.Contain("paused").And.Contain("job noop (priority 5)"));
        (exit, output) = await env.CliAsync("schedule", "resume", "nightly");
        Assert.That(output, Does.Contain("nightly resumed"));
        (exit, output) = await env.CliAsync("schedule", "list", "--json");
        var listed = JsonNode.Parse(output)!.AsArray().Single()!;
        Assert.That((bool?)listed["paused"], Is.False);
        Assert.That((int?)listed["target"]!["params"]!["n"], Is.EqualTo(1));
        Assert.That((long?)listed["next_run_at"], Is.GreaterThan(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

        (exit, output) = await env.CliAsync("schedule", "remove", "nightly");
        Assert.That(output, Does.Contain("nightly removed"));
        (exit, output) = await env.CliAsync("schedule", "remove", "nightly");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain("No schedule 'nightly'"));
    }
}
