using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaWorker.Cli;
using MediaWorker.Messaging.Mqtt;
using MediaWorker.Testing;
using MediaWorker.Tests.Messaging.Mqtt;
using MediaWorker.Tests.Support;
using NUnit.Framework;
using static MediaWorker.Tests.Messaging.Mqtt.MqttBench;

namespace MediaWorker.Tests.Cli;

public sealed class WorkersCommandTests
{
    private static readonly TimeSpan Patience = MqttBench.Patience;
    private MqttBench _bench = null!;

    [SetUp]
    public async Task SetUp() => _bench = await MqttBench.StartAsync();

    [TearDown]
    public async Task TearDown() => await _bench.DisposeAsync();

    [Test]
    public async Task Once_Json_ListsEveryRetainedWorker_WithWhatTheReaderWorkedOut()
    {
        await using var idle = await _bench.StartBroadcasterAsync("w-a", activeJobs: 0);
        await using var busy = await _bench.StartBroadcasterAsync("w-b", activeJobs: 4);

        var (exitCode, output) = await RunAsync("--once", "--json");

        Assert.That(exitCode, Is.Zero, output);
        var rows = JsonNode.Parse(output)!.AsArray();
        Assert.That(rows.Select(r => (string?)r!["worker_id"]), Is.EqualTo(new[] { "w-a", "w-b" }));
        Assert.That((string?)rows[0]!["status"], Is.EqualTo("idle"));
        Assert.That((string?)rows[1]!["status"], Is.EqualTo("busy"));
        Assert.That((int)rows[1]!["idle_count"]!, Is.Zero);
        Assert.That((bool)rows[0]!["stale"]!, Is.False);
        Assert.That((double)rows[0]!["age_seconds"]!, Is.LessThan(10));
        Assert.That((long)rows[0]!["last_seen"]!, Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).Within(10_000));
        Assert.That(rows[0]!["capabilities"]!.AsArray(), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Once_Table_ShowsSlotsAndTasks_AndMarksASeedWorkerStaleAfterThreeMissedHeartbeats()
    {
        await using var worker = await _bench.StartBroadcasterAsync("w-fresh", activeJobs: 1);
        var tenMinutesAgo = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        await ExternalTool.RunCheckedAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", _bench.Broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-t", "inference/workers/seed-1", "-r", "-q", "1", "-m", $$"""{"id":"seed-1","capabilities":["image_resize"],"idle_count":1,"timestamp":{{tenMinutesAgo}}}""");

        var (exitCode, output) = await RunAsync("--once");

        Assert.That(exitCode, Is.Zero, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.Match(@"^WORKER\s+STATUS\s+FREE/TOTAL\s+LAST SEEN\s+TASKS$"));
        Assert.That(lines[1], Does.Match(@"^seed-1\s+stale\s+1/\?\s+10m ago\s+image_resize$"), "the seed sends no status, no max_concurrency and no heartbeat_interval (30 s assumed)");
        Assert.That(lines[2], Does.Match(@"^w-fresh\s+busy\s+3/4\s+(just now|\ds ago)\s+image.resize,image.thumbnail,video.probe$"));
    }

    [Test]
    public async Task Once_WithFortyRetainedWorkers_ListsAllForty_EveryTime()
    {
        var port = _bench.Broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Task.WhenAll(Enumerable.Range(1, 40).Select(i => ExternalTool.RunCheckedAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", port,
            "-t", $"inference/workers/w-{i:00}", "-r", "-q", "1", "-m", $$"""{"id":"w-{{i:00}}","worker_id":"w-{{i:00}}","capabilities":["noop"],"idle_count":1,"timestamp":{{now}},"status":"idle","max_concurrency":1}""")));

        // MQTTnet hands messages over on its own queue after the SUBACK: each run must still see all of them.
        for (var run = 0; run < 3; run++)
        {
            var (exitCode, output) = await RunAsync("--once", "--json");

            Assert.That(exitCode, Is.Zero, output);
            var rows = JsonNode.Parse(output)!.AsArray();
            Assert.That(rows.Select(r => (string?)r!["worker_id"]), Is.EqualTo(Enumerable.Range(1, 40).Select(i => $"w-{i:00}")), $"run {run + 1}");
        }
    }

    [Test]
    public async Task Once_WithTheBrokerDown_FailsWithOneLineNamingTheBrokerAndTheReason()
    {
        await _bench.Broker.StopAsync();

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync("--once", "--timeout", "1"));

        Assert.That(ex!.Message, Does.Contain($"mqtt://127.0.0.1:{_bench.Broker.Port}").And.Contain("Connection refused").And.Not.Contain("\n"));
    }

    [Test]
    public async Task Live_Json_PrintsALineWhenAWorkerAppearsChangesAndLeaves()
    {
        var output = new CapturingWriter();
        using var stop = new CancellationTokenSource();
        var watching = Invoke(output, stop.Token, "--json");
        await EventuallyAsync(() => output.Lines.Contains("[]"), "the empty directory first");

        await using (var worker = await _bench.StartBroadcasterAsync("w-live", activeJobs: 0))
        {
            await EventuallyAsync(() => output.Lines.Any(l => l.Contains("\"w-live\"") && l.Contains("\"idle\"")), "the worker appears");
            worker.UpdatePresence(Snapshot("w-live", activeJobs: 2));
            await EventuallyAsync(() => output.Lines.Any(l => l.Contains("\"busy\"")), "it becomes busy");
        }

        await EventuallyAsync(() => output.Lines[^1] == "[]", "its graceful stop removes it");
        await stop.CancelAsync();
        Assert.That(await watching, Is.Zero);
        Assert.That(output.Lines, Has.Count.InRange(4, 5), output.Text); // [], idle, busy, (draining), []
    }

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var output = new CapturingWriter();
        var exitCode = await Invoke(output, CancellationToken.None, args);
        return (exitCode, output.Text);
    }

    private Task<int> Invoke(TextWriter output, CancellationToken cancellationToken, params string[] args) =>
        WorkersCommand.Create(output)
            .Parse([.. args, "--mqtt-url", $"mqtt://127.0.0.1:{_bench.Broker.Port}", "--topic-prefix", "inference/workers", "--heartbeat-interval", "30"])
            .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }, cancellationToken);

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(deadline.Elapsed, Is.LessThan(Patience), $"never happened: {what}");
            await Task.Delay(50);
        }
    }
}
