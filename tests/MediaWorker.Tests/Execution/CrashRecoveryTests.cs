using System.Globalization;
using Dapper;
using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Execution;

/// <summary>
/// SPEC 4 "nothing is lost": several worker processes on one database, one of them killed with
/// SIGKILL again and again mid-run and restarted; every job must end completed exactly once.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const int JobCount = 2000;
    private const int Kills = 4;

    [Test]
    public async Task KilledWorkers_LoseNoJob_AndNoJobCompletesTwice()
    {
        using var env = new DaemonEnvironment();
        env.Environment["WORKER_LEASE_SECONDS"] = "2";
        env.Environment["WORKER_CONCURRENCY"] = "4";
        env.Environment["LOG_LEVEL"] = "warning";
        var random = new Random(42);
        using (var db = env.Open())
        {
            var jobs = Enumerable.Range(0, JobCount).Select(_ => new NewJob(
                "sleep",
                string.Create(CultureInfo.InvariantCulture, $"{{\"seconds\": {random.Next(10, 60) / 1000.0}}}"))
            {
                MaxRetries = 50,
            }).ToList();
            JobSubmitter.InsertMany(db, jobs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }

        var outputs = new List<WorkerProcess>();
        WorkerProcess Start(string id)
        {
            var worker = env.StartWorker(id);
            outputs.Add(worker);
            return worker;
        }

        var victim = Start("crash-0");
        Start("crash-1");
        Start("crash-2");
        using var check = env.Open();
        long Completed() => check.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE status = 'completed'");

        for (var kill = 0; kill < Kills; kill++)
        {
            // Kill while jobs are mid-flight: wait until this round has made some progress first.
            var before = Completed();
            await DaemonEnvironment.EventuallyAsync(() => Completed() >= before + 150 || Completed() == JobCount, TimeSpan.FromSeconds(30));
            victim.Kill();
            TestContext.Progress.WriteLine($"SIGKILL #{kill + 1} at {Completed()} completed");
            victim = Start("crash-0");
        }

        var done = await DaemonEnvironment.EventuallyAsync(() => Completed() == JobCount, TimeSpan.FromSeconds(120));

        var byStatus = check.Query<(string Status, long Count)>("SELECT status, COUNT(*) FROM jobs GROUP BY status").ToList();
        Assert.That(done, Is.True, string.Join(", ", byStatus) + "\n" + string.Join("\n", outputs.Select(o => o.OutputText)));
        Assert.That(check.ExecuteScalar<long>("SELECT COUNT(DISTINCT job_id) FROM jobs WHERE status = 'completed'"), Is.EqualTo(JobCount));
        Assert.That(check.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE status <> 'completed'"), Is.Zero, string.Join(", ", byStatus));
        Assert.That(check.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE lease_token IS NOT NULL"), Is.Zero, "no lease left behind");
        Assert.That(check.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE attempts > 1"), Is.GreaterThan(0), "the kills hit running jobs, which ran again");
        var log = string.Join("\n", outputs.Select(o => o.OutputText));
        Assert.That(log, Does.Not.Contain("SQLITE_BUSY").And.Not.Contain("database is locked").And.Not.Contain("stayed locked"));
    }
}
