using Dapper;
using MediaWorker.Storage;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Execution;

/// <summary>The daemon as a user runs it: real processes, real signals, one real database.</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class WorkerProcessTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(30);

    [Test]
    public async Task SubmitWait_PrintsTheCompletedRow()
    {
        using var env = new DaemonEnvironment();
        using var worker = env.StartWorker("w-submit");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);

        var (exit, output) = await env.CliAsync("submit", "sleep", "--param", "seconds=0.1", "--wait");

        Assert.That(exit, Is.Zero, output);
        var row = System.Text.Json.Nodes.JsonNode.Parse(output.Split('\n').Last(l => l.Length > 0))!;
        Assert.That((string?)row["status"], Is.EqualTo("completed"));
        Assert.That((double?)row["output"]!["slept_seconds"], Is.EqualTo(0.1));
    }

    [Test]
    public async Task Submit_PrintsTheJobIdAloneOnTheLastLine_AndBadParamsAreUsageErrors()
    {
        using var env = new DaemonEnvironment();
        var (exit, output) = await env.CliAsync("submit", "noop", "--priority", "7");
        Assert.That(exit, Is.Zero, output);
        Assert.That(Guid.TryParse(output.Trim().Split('\n').Last(), out _), Is.True, output);

        var (badExit, badOutput) = await env.CliAsync("submit", "noop", "--params", "{not json");
        Assert.That(badExit, Is.EqualTo(2));
        Assert.That(badOutput, Does.Contain("--params is not valid JSON"));

        var (unknownExit, unknownOutput) = await env.CliAsync("submit");
        Assert.That(unknownExit, Is.EqualTo(2), unknownOutput);
    }

    [Test]
    public async Task InvalidSettings_FailAtStartup_NamingTheVariable()
    {
        using var env = new DaemonEnvironment();
        env.Environment["WORKER_CONCURRENCY"] = "zero";
        env.Environment["LOG_FORMAT"] = "xml";
        var (exit, output) = await env.CliAsync("run", "--worker-id", "w-bad");

        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("WORKER_CONCURRENCY: 'zero' is not allowed").And.Contain("LOG_FORMAT: 'xml' is not allowed"));
    }

    [Test]
    public async Task UnknownRequestedTasks_AreAClearStartupError()
    {
        using var env = new DaemonEnvironment();
        var (exit, output) = await env.CliAsync("run", "--worker-id", "w-none", "--tasks", "nothing_here");

        Assert.That(exit, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("None of the requested task types (nothing_here) is loaded"));
    }

    [Test]
    public async Task ASecondProcessWithTheSameWorkerId_RefusesToStart()
    {
        using var env = new DaemonEnvironment();
        using var first = env.StartWorker("w-twice");
        Assert.That(await first.WaitForOutputAsync("started", Startup), Is.True, first.OutputText);

        var (exit, output) = await env.CliAsync("run", "--worker-id", "w-twice");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain("already running as worker 'w-twice'"));
        Assert.That(first.HasExited, Is.False);
    }

    [Test]
    public async Task GracefulShutdown_PutsUnfinishedJobsBack_WithoutSpendingAnAttempt()
    {
        using var env = new DaemonEnvironment();
        using var worker = env.StartWorker("w-grace", "--shutdown-grace", "0.5", "--concurrency", "2");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);
        var (_, quick) = await env.CliAsync("submit", "sleep", "--param", "seconds=0.2");
        var (_, slow) = await env.CliAsync("submit", "sleep", "--param", "seconds=60");
        var quickId = quick.Trim().Split('\n').Last();
        var slowId = slow.Trim().Split('\n').Last();
        using var db = env.Open();
        Assert.That(await DaemonEnvironment.EventuallyAsync(() => JobAdministration.Find(db, slowId)!.Status == JobStatus.Processing, TimeSpan.FromSeconds(20)), Is.True);

        worker.Terminate();

        Assert.That(await worker.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.True, worker.OutputText);
        Assert.That(worker.ExitCode, Is.Zero, worker.OutputText);
        var slowRow = JobAdministration.Find(db, slowId)!;
        Assert.That(slowRow.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(slowRow.Attempts, Is.Zero, "the interrupted attempt is not counted");
        Assert.That(slowRow.LeaseOwner, Is.Null);
        Assert.That(JobAdministration.Find(db, quickId)!.Status, Is.EqualTo(JobStatus.Completed));
    }

    [Test]
    public async Task CancellingARunningJob_StopsItWithinAboutASecond()
    {
        using var env = new DaemonEnvironment();
        using var worker = env.StartWorker("w-cancel");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);
        var (_, submitted) = await env.CliAsync("submit", "sleep", "--param", "seconds=120");
        var id = submitted.Trim().Split('\n').Last();
        using var db = env.Open();
        Assert.That(await DaemonEnvironment.EventuallyAsync(() => JobAdministration.Find(db, id)!.Status == JobStatus.Processing, TimeSpan.FromSeconds(20)), Is.True);

        var (exit, output) = await env.CliAsync("cancel", id);
        var requestedAt = DateTime.UtcNow;
        Assert.That(exit, Is.Zero, output);

        Assert.That(await DaemonEnvironment.EventuallyAsync(() => JobAdministration.Find(db, id)!.Status == JobStatus.Cancelled, TimeSpan.FromSeconds(10)), Is.True, worker.OutputText);
        Assert.That(DateTime.UtcNow - requestedAt, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task RetryableFailures_BackOff_ThenTheJobEndsFailedWithItsReason()
    {
        using var env = new DaemonEnvironment();
        env.Environment["JOB_RETRY_BACKOFF_BASE"] = "0.05";
        using var worker = env.StartWorker("w-retry");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);

        // A per-job timeout shorter than the sleep is a retryable failure on every attempt.
        var (exit, output) = await env.CliAsync("submit", "sleep", "--param", "seconds=5", "--timeout", "0.2", "--max-retries", "2", "--wait");

        Assert.That(exit, Is.EqualTo(1), output);
        var row = System.Text.Json.Nodes.JsonNode.Parse(output.Split('\n').Last(l => l.Length > 0))!;
        Assert.That((string?)row["status"], Is.EqualTo("failed"));
        Assert.That((int?)row["attempts"], Is.EqualTo(3));
        Assert.That((string?)row["error_message"], Does.Contain("Timed out after 0.2 s").And.Contain("attempt 3 of 3"));
    }

    [Test]
    public async Task InvalidParameters_FailPermanently_WithoutRetries()
    {
        using var env = new DaemonEnvironment();
        using var worker = env.StartWorker("w-params");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);

        var (exit, output) = await env.CliAsync("submit", "sleep", "--params", "{\"seconds\": \"soon\"}", "--wait");

        Assert.That(exit, Is.EqualTo(1), output);
        var row = System.Text.Json.Nodes.JsonNode.Parse(output.Split('\n').Last(l => l.Length > 0))!;
        Assert.That((string?)row["status"], Is.EqualTo("failed"));
        Assert.That((int?)row["attempts"], Is.EqualTo(1));
        Assert.That((string?)row["error_message"], Does.Contain("seconds"));
    }

    [Test]
    public async Task AJobInsertedByAnotherProcess_StartsWithoutWaitingForThePollInterval()
    {
        using var env = new DaemonEnvironment();
        using var worker = env.StartWorker("w-wake", "--poll-interval", "60");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);
        using var db = env.Open();
        var id = JobSubmitter.Submit(db, new NewJob("noop", "{}"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).JobId;

        // Generous bound for a loaded CI box; the benchmark measures the real latency.
        Assert.That(await DaemonEnvironment.EventuallyAsync(() => JobAdministration.Find(db, id)!.Status == JobStatus.Completed, TimeSpan.FromSeconds(20)), Is.True, worker.OutputText);
        Assert.That(db.ExecuteScalar<long>("SELECT started_at - created_at FROM jobs WHERE job_id = @id", new { id }), Is.LessThan(30_000));
    }
}
