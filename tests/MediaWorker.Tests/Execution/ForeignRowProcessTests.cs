using Dapper;
using MediaWorker.Storage;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Execution;

/// <summary>Issue 11, items 6 and 7, against a running worker and the CLI.</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class ForeignRowProcessTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(30);

    [Test]
    public async Task JobsAndJob_ShowARowWithCreatedAtYesterday_AndNameItsColumn()
    {
        using var env = new DaemonEnvironment();
        using (var db = env.Open())
        {
            db.Execute("INSERT INTO jobs (job_id, task_type, params, status, created_at) VALUES ('foreign-yesterday', 'noop', '{}', 'completed', 'yesterday')");
        }

        var (listExit, listing) = await env.CliAsync("jobs");
        Assert.That(listExit, Is.Zero, listing);
        Assert.That(listing, Does.Contain("foreign-yesterday"));
        Assert.That(listing, Does.Contain("row 1 (job foreign-yesterday): created_at holds 'yesterday'"));

        var (jsonExit, json) = await env.CliAsync("jobs", "--json");
        Assert.That(jsonExit, Is.Zero, json);

        var (oneExit, one) = await env.CliAsync("job", "foreign-yesterday");
        Assert.That(oneExit, Is.Zero, one);
        Assert.That(one, Does.Contain("\"read_problems\"").And.Contain("created_at holds 'yesterday'"));
    }

    [Test]
    public async Task AJobWithRunAfterSoon_IsFailedAtOnce_WithTheReason_NotLeftQueued()
    {
        using var env = new DaemonEnvironment();
        using var worker = env.StartWorker("w-soon");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);
        using var db = env.Open();
        db.Execute("INSERT INTO jobs (job_id, task_type, params, status, run_after) VALUES ('foreign-soon', 'sleep', '{\"seconds\": 0}', 'queued', 'soon')");

        Assert.That(await DaemonEnvironment.EventuallyAsync(() => JobAdministration.Find(db, "foreign-soon")!.Status == JobStatus.Failed, TimeSpan.FromSeconds(20)), Is.True, worker.OutputText);
        var row = JobAdministration.Find(db, "foreign-soon")!;
        Assert.That(row.Attempts, Is.EqualTo(1));
        Assert.That(row.ErrorMessage, Does.Contain("run_after holds 'soon', which is not a time"));
        Assert.That(row.Output, Is.Null, "the handler did not run");
    }

    [Test]
    public async Task DuplicateKeysInParams_AreOnePermanentFailure_NamingTheKey()
    {
        using var env = new DaemonEnvironment();
        env.Environment["JOB_RETRY_BACKOFF_BASE"] = "0.05";
        using var worker = env.StartWorker("w-dupkeys");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);
        using var db = env.Open();
        var id = JobSubmitter.Submit(db, new NewJob("sleep", "{\"seconds\": 0, \"seconds\": 99999}"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).JobId;

        Assert.That(await DaemonEnvironment.EventuallyAsync(() => JobStatus.IsFinished(JobAdministration.Find(db, id)!.Status), TimeSpan.FromSeconds(20)), Is.True, worker.OutputText);
        var row = JobAdministration.Find(db, id)!;
        Assert.That(row.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(row.Attempts, Is.EqualTo(1), row.ErrorMessage);
        Assert.That(row.ErrorMessage, Does.Contain("has the key 'seconds' more than once"));
    }
}
