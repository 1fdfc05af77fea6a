using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Cli;

/// <summary>Each command reads only the settings it uses: a broken MQTT or worker setting must not stop producers.</summary>
public sealed class SettingsScopeTests
{
    [Test]
    public async Task BadMqttAndWorkerSettings_DoNotBreakSubmitJobsJobCancel_ButRunRefusesThemByName()
    {
        using var env = new DaemonEnvironment();
        var envFile = Path.Combine(env.ServerDirectory, "worker.env");
        File.WriteAllLines(envFile, ["MQTT_PORT=not-a-port", "WORKER_CONCURRENCY=0"]);
        env.Environment["WORKER_ENV_FILE"] = envFile;

        var (submitExit, submitted) = await env.CliAsync("submit", "noop");
        Assert.That(submitExit, Is.Zero, submitted);
        var jobId = submitted.Trim().Split('\n')[^1].Trim();

        var (jobsExit, jobs) = await env.CliAsync("jobs");
        Assert.That(jobsExit, Is.Zero, jobs);
        Assert.That(jobs, Does.Contain(jobId));

        var (jobExit, job) = await env.CliAsync("job", jobId);
        Assert.That(jobExit, Is.Zero, job);

        var (cancelExit, cancelled) = await env.CliAsync("cancel", jobId);
        Assert.That(cancelExit, Is.Zero, cancelled);

        var (runExit, run) = await env.CliAsync("run");
        Assert.That(runExit, Is.EqualTo(2), run);
        Assert.That(run, Does.Contain("MQTT_PORT").And.Contain("WORKER_CONCURRENCY"));
    }

    [Test]
    public async Task BadMqttDatabaseAndHttpSettings_DoNotBreakPlugins_ButABadConcurrencyIsRefusedByName()
    {
        using var env = new DaemonEnvironment();
        var envFile = Path.Combine(env.ServerDirectory, "worker.env");
        File.WriteAllLines(envFile, ["MQTT_PORT=not-a-port", "DATABASE_BUSY_TIMEOUT=forever", "WORKER_ID=no spaces allowed", "HTTP_LISTEN=nowhere:port"]);
        env.Environment["WORKER_ENV_FILE"] = envFile;

        var (exit, output) = await env.CliAsync("plugins");
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("noop"), "the report lists the built-in tasks");

        File.AppendAllLines(envFile, ["WORKER_CONCURRENCY=0"]);
        var (badExit, refused) = await env.CliAsync("plugins");
        Assert.That(badExit, Is.EqualTo(2), refused);
        Assert.That(refused, Does.Contain("WORKER_CONCURRENCY").And.Not.Contain("MQTT_PORT"));
    }

    [Test]
    public async Task BadDatabaseSetting_StillFailsTheDatabaseCommands_WithTheVariableName()
    {
        using var env = new DaemonEnvironment();
        env.Environment["DATABASE_BUSY_TIMEOUT"] = "forever";

        var (exit, output) = await env.CliAsync("jobs");

        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("DATABASE_BUSY_TIMEOUT"));
    }
}
