using MediaWorker.Configuration;
using NUnit.Framework;

namespace MediaWorker.Tests.Configuration;

public sealed class WorkerSettingsTests
{
    private static SettingsSource Source(
        Dictionary<string, string>? flags = null,
        Dictionary<string, string>? env = null,
        Dictionary<string, string>? file = null) =>
        new(flags, name => env is not null && env.TryGetValue(name, out var v) ? v : null, file);

    [Test]
    public void Precedence_IsFlagThenEnvironmentThenFileThenDefault()
    {
        var file = new Dictionary<string, string> { ["WORKER_ID"] = "from-file", ["WORKER_CONCURRENCY"] = "3", ["LOG_LEVEL"] = "debug" };
        var env = new Dictionary<string, string> { ["WORKER_ID"] = "from-env", ["WORKER_CONCURRENCY"] = "5" };
        var flags = new Dictionary<string, string> { ["WORKER_ID"] = "from-flag" };

        var settings = WorkerSettings.Load(Source(flags, env, file));

        Assert.That(settings.WorkerId, Is.EqualTo("from-flag"));
        Assert.That(settings.Concurrency, Is.EqualTo(5));
        Assert.That(settings.Log.Level, Is.EqualTo("debug"));
        Assert.That(settings.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(1)), "default");
    }

    [Test]
    public void Defaults_FollowCL_SERVER_DIR()
    {
        var settings = WorkerSettings.Load(Source(env: new() { ["CL_SERVER_DIR"] = "/srv/mw" }));

        Assert.That(settings.Store.DatabasePath, Is.EqualTo("/srv/mw/media_store.db"));
        Assert.That(settings.ComputeStorageDirectory, Is.EqualTo("/srv/mw/compute"));
        Assert.That(settings.AllowedRoots, Is.EqualTo(new[] { "/srv/mw" }));
        Assert.That(settings.WorkerId, Does.StartWith("worker-"));
        Assert.That(settings.Concurrency, Is.EqualTo(Environment.ProcessorCount));
        Assert.That(settings.Broadcast.Type, Is.EqualTo("mqtt"));
        Assert.That(settings.Broadcast.CapabilityTopicPrefix, Is.EqualTo("inference/workers"));
    }

    [Test]
    public void InvalidValues_AreAllReported_WithTheVariableAndWhatIsAllowed()
    {
        var env = new Dictionary<string, string>
        {
            ["WORKER_CONCURRENCY"] = "0",
            ["WORKER_POLL_INTERVAL"] = "soon",
            ["DATABASE_URL"] = "mysql://db/jobs",
            ["BROADCAST_TYPE"] = "kafka",
            ["WORKER_ID"] = "has space",
            ["MQTT_URL"] = "http://broker",
        };

        var ex = Assert.Throws<SettingsException>(() => WorkerSettings.Load(Source(env: env)));

        Assert.That(ex!.Errors, Has.Count.EqualTo(6));
        Assert.That(ex.Message, Does.Contain("WORKER_CONCURRENCY: '0' is not allowed; use a whole number from 1 to 1024."));
        Assert.That(ex.Message, Does.Contain("WORKER_POLL_INTERVAL: 'soon' is not allowed"));
        Assert.That(ex.Message, Does.Contain("DATABASE_URL: 'mysql://db/jobs' is not allowed"));
        Assert.That(ex.Message, Does.Contain("BROADCAST_TYPE: 'kafka' is not allowed; use one of mqtt, noop."));
        Assert.That(ex.Message, Does.Contain("WORKER_ID: 'has space' is not allowed"));
        Assert.That(ex.Message, Does.Contain("MQTT_URL: 'http://broker' is not allowed"));
    }

    [TestCase("sqlite:////var/lib/mw/db.sqlite", "/var/lib/mw/db.sqlite")]
    [TestCase("sqlite:///var/lib/mw/db.sqlite", "/var/lib/mw/db.sqlite")]
    [TestCase("/plain/path.db", "/plain/path.db")]
    [TestCase("relative.db", "relative.db")]
    public void DatabaseUrl_AcceptsSqliteUrlsAndPaths(string url, string path) =>
        Assert.That(StoreSettings.ParseDatabaseUrl(url), Is.EqualTo(path));

    [Test]
    public void MqttUrl_SetsHostPortAndTls()
    {
        var settings = WorkerSettings.Load(Source(env: new() { ["MQTT_URL"] = "mqtts://broker.lan" }));

        Assert.That(settings.Broadcast.Host, Is.EqualTo("broker.lan"));
        Assert.That(settings.Broadcast.Port, Is.EqualTo(8883));
        Assert.That(settings.Broadcast.UseTls, Is.True);
    }

    [Test]
    public void EnvFile_ParsesCommentsQuotesAndExport()
    {
        var values = EnvFile.Parse(
            ["# comment", "", "export WORKER_ID=w7", "LOG_LEVEL = \"debug\"", "MQTT_PASSWORD='p#ss'", "WORKER_CONCURRENCY=4 # four slots"],
            "worker.env");

        Assert.That(values["WORKER_ID"], Is.EqualTo("w7"));
        Assert.That(values["LOG_LEVEL"], Is.EqualTo("debug"));
        Assert.That(values["MQTT_PASSWORD"], Is.EqualTo("p#ss"));
        Assert.That(values["WORKER_CONCURRENCY"], Is.EqualTo("4"));
    }

    [Test]
    public void EnvFile_ReportsTheLineOfAMalformedEntry()
    {
        var ex = Assert.Throws<SettingsException>(() => EnvFile.Parse(["WORKER_ID=w1", "oops"], "/etc/mw/worker.env"));
        Assert.That(ex!.Message, Does.StartWith("/etc/mw/worker.env:2: expected NAME=value"));
    }
}
