using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.Execution;
using MediaWorker.Messaging;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Storage;
using MediaWorker.Tests.Execution.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Execution;

/// <summary>
/// The runtime in-process: real writer, claim loop, monitor and drain on a real SQLite file, test
/// handlers, and a fake clock the tests move. No process is spawned and nothing sleeps.
/// </summary>
public sealed class RuntimeTests
{
    private static readonly TimeSpan Tick = ActiveJobMonitor.Tick;

    [Test]
    public async Task RetryableFailure_IsRequeued_WithExponentialBackoffInsideItsJitterBand_UpToTheCap()
    {
        var handler = new FakeHandler("flaky", (_, _) => throw new RetryableJobException("upstream said 503"));
        await using var worker = new InProcessWorker([handler], new Dictionary<string, string>
        {
            ["JOB_RETRY_BACKOFF_BASE"] = "2",
            ["JOB_RETRY_BACKOFF_MAX"] = "5",
        });
        await worker.StartAsync();
        var jobId = worker.Submit(new NewJob("flaky", "{}") { MaxRetries = 3 });

        // Equal jitter: each delay lies in [capped / 2, capped], capped = min(base x 2^(n-1), max).
        double[] capped = [2000, 4000, 5000];
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await worker.Events.WaitForAsync(jobId, JobEventType.Retrying, attempt);
            var row = worker.Row(jobId);
            var delay = row.RunAfter - row.UpdatedAt!.Value;
            Assert.That(row.Status, Is.EqualTo(JobStatus.Queued));
            Assert.That(row.Attempts, Is.EqualTo(attempt));
            Assert.That(delay, Is.InRange(capped[attempt - 1] / 2, capped[attempt - 1]), $"attempt {attempt}");
            Assert.That(row.ErrorMessage, Does.Contain("upstream said 503").And.Contain($"attempt {attempt} of 4"));

            // Not claimable a moment before its time; claimed again once the fake clock reaches it.
            worker.Time.Advance(TimeSpan.FromMilliseconds(delay - 1));
            Assert.That(worker.Row(jobId).Status, Is.EqualTo(JobStatus.Queued));
            var next = worker.Events.WaitForAsync(jobId, JobEventType.Processing, attempt + 1);
            await worker.AdvanceUntilAsync(next, TimeSpan.FromMilliseconds(250));
        }

        await worker.Events.WaitForAsync(jobId, JobEventType.Failed);
        Assert.That(worker.Row(jobId).Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(worker.Row(jobId).ErrorMessage, Does.Contain("attempt 4 of 4; no attempts left"));
        Assert.That(handler.Started, Has.Count.EqualTo(4));
    }

    [Test]
    public async Task Claims_StartInPriorityThenAgeThenIdOrder()
    {
        var handler = new FakeHandler("ordered", (_, _) => Task.FromResult(new JsonObject()));
        await using var worker = new InProcessWorker([handler], new Dictionary<string, string> { ["WORKER_CONCURRENCY"] = "1" });
        var now = worker.NowMs;
        string Submit(int priority, long age) => JobSubmitter.Submit(worker.Connection, new NewJob("ordered", "{}") { Priority = priority }, now - age).JobId;
        var lowOld = Submit(1, 5000);
        var highNew = Submit(9, 1000);
        var midOld = Submit(5, 9000);
        var highOld = Submit(9, 3000);
        var highOldTwinA = Submit(9, 4000);
        var highOldTwinB = Submit(9, 4000);
        var midNew = Submit(5, 10);

        await worker.StartAsync();
        await worker.Events.WaitForAsync(lowOld, JobEventType.Completed);

        Assert.That(handler.Started, Is.EqualTo(new[] { highOldTwinA, highOldTwinB, highOld, highNew, midOld, midNew, lowOld }));
    }

    [Test]
    public async Task LostLease_RejectsTheLateCompletion()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new FakeHandler("slow", async (_, _) =>
        {
            started.TrySetResult();
            await release.Task;
            return new JsonObject { ["late"] = true };
        });
        await using var worker = new InProcessWorker([handler]);
        await worker.StartAsync();
        var jobId = worker.Submit(new NewJob("slow", "{}"));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The lease runs out (the worker looked stalled) and another worker reclaims the job, in one
        // transaction so that the worker's own claim loop cannot take it back first.
        using (var steal = WriteTransaction.Begin(worker.Connection))
        using (var thief = new JobClaimer(worker.Connection))
        {
            worker.Connection.Execute("UPDATE jobs SET lease_expires_at = @past WHERE job_id = @jobId", new { past = worker.NowMs - 1, jobId });
            Assert.That(thief.Claim(new ClaimRequest("thief", [("slow", 1)], 1, TimeSpan.FromMinutes(5)), worker.NowMs).Single().JobId, Is.EqualTo(jobId));
            steal.Commit();
        }

        release.SetResult();
        Assert.That(await worker.StopAsync(Tick), Is.Zero);

        var row = worker.Row(jobId);
        Assert.That(row.Status, Is.EqualTo(JobStatus.Processing));
        Assert.That(row.LeaseOwner, Is.EqualTo("thief"));
        Assert.That(row.Output, Is.Null, "the late result did not overwrite the new holder's job");
        Assert.That(worker.Events.Events.Where(e => e.JobId == jobId).Select(e => e.EventType), Does.Not.Contain(JobEventType.Completed));
        Assert.That(worker.Logs.Entries.Select(e => e.Message), Has.Some.Contains("lease was lost"));
    }

    [Test]
    public async Task CancelOfARunningJob_FiresItsToken_AndTheJobEndsCancelled()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tokenFired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new FakeHandler("long", async (_, token) =>
        {
            using var registration = token.Register(() => tokenFired.TrySetResult());
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return [];
        });
        await using var worker = new InProcessWorker([handler]);
        await worker.StartAsync();
        var jobId = worker.Submit(new NewJob("long", "{}"));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(JobAdministration.Cancel(worker.Connection, jobId, worker.NowMs), Is.EqualTo(CancelResult.Requested));
        await worker.AdvanceUntilAsync(tokenFired.Task, Tick);
        await worker.Events.WaitForAsync(jobId, JobEventType.Cancelled);

        var row = worker.Row(jobId);
        Assert.That(row.Status, Is.EqualTo(JobStatus.Cancelled));
        Assert.That(row.ErrorMessage, Is.EqualTo("Cancelled on request while running."));
        Assert.That(row.LeaseOwner, Is.Null);
    }

    [Test]
    public async Task GracefulDrain_RequeuesTheRunningJob_WithoutSpendingAnAttempt()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new FakeHandler("stubborn", async (_, token) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return [];
        });
        await using var worker = new InProcessWorker([handler], new Dictionary<string, string> { ["WORKER_SHUTDOWN_GRACE"] = "5" });
        await worker.StartAsync();
        var jobId = worker.Submit(new NewJob("stubborn", "{}") { MaxRetries = 0 });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(worker.Row(jobId).Attempts, Is.EqualTo(1));

        var exitCode = await worker.StopAsync(TimeSpan.FromMilliseconds(500));

        Assert.That(exitCode, Is.Zero);
        var row = worker.Row(jobId);
        Assert.That(row.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(row.Attempts, Is.Zero, "the interrupted attempt was given back");
        Assert.That(row.RetryCount, Is.Zero);
        Assert.That(row.LeaseOwner, Is.Null);
        Assert.That(worker.Logs.Entries.Select(e => e.Message), Has.Some.Contains("grace period ended"));
    }

    [Test]
    public async Task ProgressStorm_IsThrottled_ToOneWriteAndEventPerSecond()
    {
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stormed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reports = 0L;
        var handler = new FakeHandler("chatty", async (job, _) =>
        {
            // Reports as fast as it can, a new value each time, until told to stop.
            while (!stop.Task.IsCompleted)
            {
                job.Progress.Report((int)(Interlocked.Increment(ref reports) % 100));
                if (reports % 1000 == 0)
                {
                    stormed.TrySetResult();
                    await Task.Yield();
                }
            }

            return [];
        });
        await using var worker = new InProcessWorker([handler]);
        await worker.StartAsync();
        var jobId = worker.Submit(new NewJob("chatty", "{}"));
        await stormed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Ten fake seconds of monitor ticks (forty) while the storm goes on: at most one write per second.
        // Under load the first write may need more ticks than forty to land: keep the fake clock going
        // until it has (bounded), and judge the rate by the fake time that actually passed.
        var first = worker.Events.WaitForAsync(jobId, JobEventType.Progress);
        var ticks = 0;
        while (ticks < 40 || (!first.IsCompleted && ticks < 400))
        {
            worker.Time.Advance(Tick);
            ticks++;
            await InProcessWorker.SettleAsync();
        }

        await first.WaitAsync(TimeSpan.FromSeconds(10));
        stop.SetResult();
        await worker.Events.WaitForAsync(jobId, JobEventType.Completed);

        var progress = worker.Events.Events.Count(e => e.JobId == jobId && e.EventType == JobEventType.Progress);
        Assert.That(Interlocked.Read(ref reports), Is.GreaterThan(10_000));
        var seconds = (int)(ticks * Tick.TotalSeconds);
        Assert.That(progress, Is.InRange(1, seconds + 1), $"{ticks} ticks over {seconds} fake seconds: one write per second at most, not one per tick or per report");
        Assert.That(worker.Row(jobId).Progress, Is.EqualTo(100), "completion writes the final value");
    }
}
