using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Tests.Messaging.Mqtt;

/// <summary>
/// The start_worker.sh presence step (scripts/local-broker.sh), run by bash against a free port:
/// it starts the installed mosquitto when nothing listens, and touches nothing otherwise.
/// </summary>
public sealed class LocalBrokerScriptTests
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "scripts", "local-broker.sh");
    private TempDirectory _folder = null!;

    private string DataDirectory => _folder.Combine("data");

    private string BrokerDirectory => Path.Combine(DataDirectory, "mosquitto");

    [SetUp]
    public void SetUp() => _folder = new TempDirectory("mw-local-broker");

    [TearDown]
    public async Task TearDown()
    {
        // Only the broker this test started: the pid file it wrote.
        var pidFile = Path.Combine(BrokerDirectory, "mosquitto.pid");
        if (File.Exists(pidFile) && int.TryParse(await File.ReadAllTextAsync(pidFile), out var pid))
        {
            await StopAsync(pid);
        }

        _folder.Dispose();
    }

    [Test]
    public async Task NothingListening_StartsMosquittoOnLoopback_WithItsFilesUnderTheDataDirectory_SayingSoInOneLine()
    {
        var port = FreePort.Next();

        var (exitCode, output, error) = await RunStepAsync(port);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Is.Empty);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), error);
        Assert.That(lines[0], Does.StartWith($"[setup] started mosquitto on 127.0.0.1:{port} for worker presence").And.Contain(BrokerDirectory).And.Contain("MQTT_LOCAL_BROKER=off"));
        var config = await File.ReadAllTextAsync(Path.Combine(BrokerDirectory, "mosquitto.conf"));
        Assert.That(config, Does.Contain($"listener {port} 127.0.0.1").And.Contain($"persistence_location {BrokerDirectory}/").And.Contain($"pid_file {BrokerDirectory}/mosquitto.pid"));
        var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(BrokerDirectory, "mosquitto.pid")), CultureInfo.InvariantCulture);

        // A client can subscribe (and sees what a worker would have retained).
        var portText = port.ToString(CultureInfo.InvariantCulture);
        await ExternalTool.RunCheckedAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", portText, "-t", "inference/workers/w1", "-r", "-q", "1", "-m", "{\"id\":\"w1\"}");
        var seen = await ExternalTool.RunCheckedAsync("mosquitto_sub", "-h", "127.0.0.1", "-p", portText, "-t", "inference/#", "-v", "-C", "1", "-W", "5");
        Assert.That(seen.Trim(), Is.EqualTo("inference/workers/w1 {\"id\":\"w1\"}"));

        // Run again (the next ./start_worker.sh): the broker is there now, so nothing is started or said.
        var again = await RunStepAsync(port);
        Assert.That((again.ExitCode, again.Error), Is.EqualTo((0, string.Empty)));
        Assert.That(int.Parse(await File.ReadAllTextAsync(Path.Combine(BrokerDirectory, "mosquitto.pid")), CultureInfo.InvariantCulture), Is.EqualTo(pid));

        // Its persistence is its own: stopped, it saves the retained message under the data directory.
        await StopAsync(pid);
        Assert.That(File.Exists(Path.Combine(BrokerDirectory, "mosquitto.db")), Is.True);
    }

    [Test]
    public async Task SomethingAlreadyListening_IsLeftAlone()
    {
        using var someonesBroker = new TcpListener(IPAddress.Loopback, 0);
        someonesBroker.Start();
        var port = ((IPEndPoint)someonesBroker.LocalEndpoint).Port;

        var (exitCode, _, error) = await RunStepAsync(port);

        Assert.That((exitCode, error), Is.EqualTo((0, string.Empty)));
        Assert.That(Directory.Exists(BrokerDirectory), Is.False, "no config written, nothing started");
    }

    [TestCase("MQTT_LOCAL_BROKER=off", "")]
    [TestCase("", "--no-local-broker")]
    [TestCase("MQTT_BROKER=broker.lan", "")]
    [TestCase("", "--mqtt-broker broker.lan")]
    [TestCase("BROADCAST_TYPE=noop", "")]
    [TestCase("MQTT_URL=mqtt://127.0.0.1:1883", "")]
    [TestCase("worker.env:MQTT_LOCAL_BROKER=off", "")]
    [TestCase("worker.env:MQTT_BROKER=\"broker.lan\"", "")]
    public async Task TurnedOff_OrAnotherBroker_StartsNothing(string setting, string runArguments)
    {
        var port = FreePort.Next();

        var (exitCode, _, error) = await RunStepAsync(port, setting, runArguments);

        Assert.That((exitCode, error), Is.EqualTo((0, string.Empty)));
        Assert.That(Directory.Exists(BrokerDirectory), Is.False);
        using var probe = new TcpClient();
        Assert.That(() => probe.Connect(IPAddress.Loopback, port), Throws.InstanceOf<SocketException>(), "nothing listens on the port");
    }

    /// <summary>Sources the script in a clean folder (no worker.env but the test's) and runs the step as start_worker.sh does.</summary>
    private async Task<(int ExitCode, string Output, string Error)> RunStepAsync(int port, string setting = "", string runArguments = "")
    {
        var exports = $"export MQTT_PORT={port};";
        if (setting.StartsWith("worker.env:", StringComparison.Ordinal))
        {
            await File.WriteAllTextAsync(_folder.Combine("worker.env"), $"# test\n{setting["worker.env:".Length..]}\n");
        }
        else if (setting.Length > 0)
        {
            exports += $"export {setting};";
        }

        var command = "unset MQTT_URL MQTT_BROKER MQTT_TLS MQTT_LOCAL_BROKER BROADCAST_TYPE WORKER_ENV_FILE; "
            + exports
            + $"source '{Script}'; mw_ensure_local_broker '{DataDirectory}' {runArguments}";
        return await ExternalTool.RunAsync("bash", ["-c", command], TimeSpan.FromSeconds(30), _folder.Path);
    }

    private static async Task StopAsync(int pid)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            return; // already gone
        }

        using (process)
        {
            _ = await ExternalTool.RunAsync("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]);
            var deadline = Stopwatch.StartNew();
            while (!process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }
        }
    }
}
