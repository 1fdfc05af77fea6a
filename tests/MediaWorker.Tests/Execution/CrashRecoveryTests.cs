using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Tests.Plugins.Support;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Execution;

/// <summary>
/// SPEC 4 "nothing is lost": several worker processes on one database, one of them killed with
/// SIGKILL again and again mid-run and restarted. Every execution records (job id, attempt,
/// worker, pid) in a side folder, so executions and completions are counted apart: every job
/// completes exactly once, and only jobs whose process was killed ran more than once. The same
/// run on the SQLite file and on PostgreSQL (workers sharing it as if on several boxes).
/// </summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class CrashRecoveryTests(StoreKind kind)
{
    private const int JobCount = 2000;
    private const int Kills = 4;

    [Test]
    public async Task KilledWorkers_LoseNoJob_AndNoJobCompletesTwice()
    {
        using var env = new DaemonEnvironment(kind);
        // On PostgreSQL every fenced write is a round trip; on this shared, loaded machine a 2 s lease
        // expired under running jobs (fenced out correctly, but then a job ran twice without a kill).
        env.Environment["WORKER_LEASE_SECONDS"] = kind == StoreKind.Postgres ? "8" : "2";
        env.Environment["WORKER_CONCURRENCY"] = "4";
        env.Environment["LOG_LEVEL"] = "warning";
        FixturePlugins.CopyInto(env.Environment["PLUGIN_DIR"]!, FixturePlugins.ExecutionLog);
        var executionLog = Directory.CreateDirectory(Path.Combine(env.ServerDirectory, "executions")).FullName;
        var random = new Random(42);
        using (var db = env.OpenStore())
        {
            var jobs = Enumerable.Range(0, JobCount).Select(_ => new NewJob(
                "logged_sleep",
                string.Create(CultureInfo.InvariantCulture, $"{{\"seconds\": {random.Next(10, 60) / 1000.0}, \"log\": \"{executionLog}\"}}"))
            {
                MaxRetries = 50,
            }).ToList();
            JobSubmitter.InsertMany(db, jobs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }

        var outputs = new List<WorkerProcess>();
        var killedPids = new HashSet<int>();
        WorkerProcess Start(string id)
        {
            var worker = env.StartWorker(id);
            outputs.Add(worker);
            return worker;
        }

        var victim = Start("crash-0");
        Start("crash-1");
        Start("crash-2");
        using var check = env.OpenStore();
        long Completed() => check.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE status = 'completed'");

        var victimStartedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // Jobs this victim process claimed (a killed predecessor's rows carry the same worker id, but started earlier).
        long VictimRunning() => check.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM jobs WHERE status = 'processing' AND worker_id = 'crash-0' AND started_at >= @since", new { since = victimStartedMs });
        for (var kill = 0; kill < Kills; kill++)
        {
            // Kill while jobs are mid-flight: wait until this round has made some progress, and until
            // the victim runs jobs of its own (a restarted process on a loaded box may take longer to
            // start than the others take for 150 jobs).
            var before = Completed();
            await DaemonEnvironment.EventuallyAsync(() => Completed() >= before + 150 || Completed() == JobCount, TimeSpan.FromSeconds(30));
            await DaemonEnvironment.EventuallyAsync(() => VictimRunning() > 0 || Completed() == JobCount, TimeSpan.FromSeconds(30));
            killedPids.Add(victim.Pid);
            victim.Kill();
            TestContext.Progress.WriteLine($"SIGKILL #{kill + 1} (pid {victim.Pid}) at {Completed()} completed");
            victimStartedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            victim = Start("crash-0");
        }

        var done = await DaemonEnvironment.EventuallyAsync(() => Completed() == JobCount, TimeSpan.FromSeconds(120));

        var byStatus = check.Query<(string Status, long Count)>("SELECT status, COUNT(*) FROM jobs GROUP BY status").ToList();
        Assert.That(done, Is.True, string.Join(", ", byStatus) + "\n" + string.Join("\n", outputs.Select(o => o.OutputText)));
        Assert.That(check.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE status <> 'completed'"), Is.Zero, string.Join(", ", byStatus));
        Assert.That(check.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE lease_token IS NOT NULL"), Is.Zero, "no lease left behind");

        // Executions, from the side folder: every job ran at least once; a job that ran more than once
        // had an earlier execution in a process that was killed (the only way an attempt ends unrecorded).
        var executions = Directory.GetFiles(executionLog)
            .Select(f => Path.GetFileName(f).Split(','))
            .Select(f => (JobId: f[0], Attempt: int.Parse(f[1], CultureInfo.InvariantCulture), Worker: f[2], Pid: int.Parse(f[3], CultureInfo.InvariantCulture)))
            .ToList();
        var byJob = executions.GroupBy(e => e.JobId).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Attempt).ToList());
        Assert.That(byJob.Keys, Has.Count.EqualTo(JobCount), "every job executed");
        var rerun = byJob.Where(j => j.Value.Count > 1).ToList();
        Assert.That(rerun, Is.Not.Empty, "the kills hit running jobs, which ran again");
        foreach (var (jobId, runs) in rerun)
        {
            Assert.That(runs.SkipLast(1).Select(r => r.Pid), Has.All.Matches<int>(killedPids.Contains), $"job {jobId} ran again only after a kill: {string.Join("; ", runs)}\n{string.Join("\n", outputs.Select(o => o.OutputText))}");
            Assert.That(runs.Select(r => r.Attempt), Is.Unique, $"job {jobId}: each execution is its own attempt");
        }

        // Completions, from the rows: one per job, written by the execution that ran last.
        var rows = check.Query<(string JobId, long Attempts, string Output)>("SELECT job_id, attempts, output FROM jobs").ToList();
        Assert.That(rows.Select(r => r.JobId), Is.Unique);
        foreach (var row in rows)
        {
            var last = byJob[row.JobId][^1];
            Assert.That(row.Attempts, Is.EqualTo(last.Attempt), $"job {row.JobId}: completed by its last execution");
            Assert.That(JsonNode.Parse(row.Output)!["pid"]!.GetValue<int>(), Is.EqualTo(last.Pid), $"job {row.JobId}: the output is the last execution's");
        }

        var log = string.Join("\n", outputs.Select(o => o.OutputText));
        Assert.That(log, Does.Not.Contain("SQLITE_BUSY").And.Not.Contain("database is locked").And.Not.Contain("stayed locked"));
    }
}
