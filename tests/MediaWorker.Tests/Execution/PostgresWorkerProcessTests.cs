using System.Globalization;
using Dapper;
using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using Npgsql;
using NUnit.Framework;

namespace MediaWorker.Tests.Execution;

/// <summary>
/// Real worker processes and CLI commands on a real PostgreSQL: the CLI's submit and jobs, the
/// NOTIFY wake-up across processes, a server restart in the middle of a run, and a schema newer
/// than the worker knows.
/// </summary>
public sealed class PostgresWorkerProcessTests
{
    [Test]
    public async Task Cli_SubmitsAndLists_AndAWorkerRunsTheJob()
    {
        using var env = new DaemonEnvironment(StoreKind.Postgres);
        var worker = env.StartWorker("pg-cli");
        Assert.That(await worker.WaitForOutputAsync("started", TimeSpan.FromSeconds(60)), Is.True, worker.OutputText);

        var (exitCode, output) = await env.CliAsync("submit", "noop", "--wait", "--wait-timeout", "30s");
        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("\"completed\""));

        var (listed, rows) = await env.CliAsync("jobs", "--status", "completed");
        Assert.That(listed, Is.Zero, rows);
        Assert.That(rows, Does.Contain("noop"));
    }

    [Test]
    public async Task AJobInsertedElsewhere_StartsAtOnce_NotAtThePollInterval()
    {
        using var env = new DaemonEnvironment(StoreKind.Postgres);
        env.Environment["WORKER_POLL_INTERVAL"] = "30";
        var worker = env.StartWorker("pg-wake");
        Assert.That(await worker.WaitForOutputAsync("started", TimeSpan.FromSeconds(60)), Is.True, worker.OutputText);
        await Task.Delay(500); // past the claim at start-up: the worker now sleeps on NOTIFY

        using var db = env.OpenStore();
        var id = JobSubmitter.Submit(db, new NewJob("noop", "{}"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).JobId;

        Assert.That(
            await DaemonEnvironment.EventuallyAsync(() => db.ExecuteScalar<string>("SELECT status FROM jobs WHERE job_id = @id", new { id }) == JobStatus.Completed, TimeSpan.FromSeconds(10)),
            Is.True,
            "done long before the 30 s poll\n" + worker.OutputText);
    }

    [Test]
    public async Task ServerRestartedMidRun_LosesNothing_AndWorkersResume()
    {
        const int jobCount = 600;
        using var env = new DaemonEnvironment(StoreKind.Postgres);
        env.Environment["WORKER_LEASE_SECONDS"] = "3";
        env.Environment["WORKER_CONCURRENCY"] = "4";
        env.Environment["WORKER_POLL_INTERVAL"] = "0.5";
        using (var db = env.OpenStore())
        {
            JobSubmitter.InsertMany(db, Enumerable.Range(0, jobCount).Select(_ => new NewJob("sleep", "{\"seconds\": 0.02}") { MaxRetries = 20 }), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }

        var workers = new[] { env.StartWorker("pg-restart-a"), env.StartWorker("pg-restart-b") };
        long Completed()
        {
            using var db = env.OpenStore();
            return db.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE status = 'completed'");
        }

        Assert.That(await DaemonEnvironment.EventuallyAsync(() => Completed() >= 100, TimeSpan.FromSeconds(60)), Is.True, string.Join("\n", workers.Select(w => w.OutputText)));
        PostgresServer.Shared.Restart(TimeSpan.FromSeconds(2));
        NpgsqlConnection.ClearAllPools(); // this test process's own pooled connections died with the server
        TestContext.Progress.WriteLine($"PostgreSQL restarted at {Completed()} completed");

        var done = await DaemonEnvironment.EventuallyAsync(() => Completed() == jobCount, TimeSpan.FromSeconds(120));
        var log = string.Join("\n", workers.Select(w => w.OutputText));
        Assert.That(done, Is.True, log);
        Assert.That(workers.All(w => !w.HasExited), Is.True, "the workers rode out the restart\n" + log);
        using var check = env.OpenStore();
        Assert.That(check.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE lease_token IS NOT NULL"), Is.Zero, "no lease left behind");
        Assert.That(log, Does.Contain("claiming resumed"), "the worker said it lost and regained the database");
    }

    [Test]
    public async Task AWorker_RefusesASchemaNewerThanItKnows()
    {
        using var env = new DaemonEnvironment(StoreKind.Postgres);
        using (var db = env.OpenStore())
        {
            db.Execute(string.Create(CultureInfo.InvariantCulture, $"INSERT INTO mediaworker_schema_migrations (version, applied_at, applied_by) VALUES ({PostgresSchemaVersion + 1}, 0, 'a newer worker')"));
        }

        var worker = env.StartWorker("pg-old");

        Assert.That(await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.True, worker.OutputText);
        Assert.That(worker.ExitCode, Is.Not.Zero);
        Assert.That(worker.OutputText, Does.Contain($"schema version {PostgresSchemaVersion + 1}, newer than this MediaWorker understands"));
    }

    private static int PostgresSchemaVersion => MediaWorker.Storage.Postgres.PostgresSchema.CurrentVersion;
}
