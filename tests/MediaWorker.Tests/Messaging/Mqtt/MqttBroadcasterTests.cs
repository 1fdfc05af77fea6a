using System.Diagnostics;
using MediaWorker.Configuration;
using MediaWorker.Messaging;
using MediaWorker.Messaging.Mqtt;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using static MediaWorker.Tests.Messaging.Mqtt.MqttBench;

namespace MediaWorker.Tests.Messaging.Mqtt;

public sealed class MqttBroadcasterTests
{
    private static readonly TimeSpan Patience = MqttBench.Patience;
    private MqttBench _bench = null!;

    private MosquittoBroker Broker => _bench.Broker;

    private RecordingLoggerFactory Logs => _bench.Logs;

    [SetUp]
    public async Task SetUp() => _bench = await MqttBench.StartAsync();

    [TearDown]
    public async Task TearDown() => await _bench.DisposeAsync();

    [Test]
    public async Task Capability_IsRetainedAtQos1_WithEverySpecField()
    {
        await using var live = await MosquittoSubscriber.StartAsync(Broker, "inference/workers/+");
        await using var broadcaster = _bench.Create(_bench.Settings("w-fields"));
        var started = Stopwatch.StartNew();
        broadcaster.UpdatePresence(Snapshot("w-fields", activeJobs: 1));
        await broadcaster.StartAsync(CancellationToken.None);
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromMilliseconds(500)), "StartAsync must return at once and connect in the background.");
        await live.WaitForAsync(m => m.Json is not null, Patience);

        var retained = await MosquittoSubscriber.ReadRetainedAsync(Broker, Topic("w-fields"));

        Assert.That(retained, Is.Not.Null);
        Assert.That(retained!.Retained, Is.True);
        Assert.That(retained.Qos, Is.EqualTo(1));
        var json = retained.Json!;
        Assert.That(json.Select(p => p.Key), Is.EqualTo(new[]
        {
            "id", "worker_id", "capabilities", "idle_count", "timestamp", "status", "active_jobs", "max_concurrency",
            "session", "seq", "plugins", "version", "host", "pid", "heartbeat_interval",
        }));
        Assert.That((string?)json["id"], Is.EqualTo("w-fields"));
        Assert.That((string?)json["worker_id"], Is.EqualTo("w-fields"));
        Assert.That(json["capabilities"]!.AsArray().Select(c => (string?)c), Is.EqualTo(new[] { "image.resize", "image.thumbnail", "video.probe" }));
        Assert.That((int)json["idle_count"]!, Is.EqualTo(3));
        Assert.That((long)json["timestamp"]!, Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).Within(10_000));
        Assert.That((string?)json["status"], Is.EqualTo("busy"));
        Assert.That((int)json["active_jobs"]!, Is.EqualTo(1));
        Assert.That((int)json["max_concurrency"]!, Is.EqualTo(4));
        Assert.That((long)json["session"]!, Is.EqualTo(1));
        Assert.That((long)json["seq"]!, Is.EqualTo(1));
        Assert.That(json["plugins"]!.ToJsonString(), Is.EqualTo(
            """[{"name":"Image","version":"1.2.0","tasks":["image.resize","image.thumbnail"]},{"name":"Video","version":"0.3.1","tasks":["video.probe"]}]"""));
        Assert.That((string?)json["version"], Does.Match(@"^\d+\.\d+\.\d+"));
        Assert.That((string?)json["host"], Is.EqualTo(Environment.MachineName));
        Assert.That((int)json["pid"]!, Is.EqualTo(Environment.ProcessId));
        Assert.That((double)json["heartbeat_interval"]!, Is.EqualTo(30));
    }

    [Test]
    public async Task GracefulStop_AnnouncesDraining_ThenClearsTheRetainedMessage_BeforeReturning()
    {
        await using var live = await MosquittoSubscriber.StartAsync(Broker, "inference/workers/+");
        await using var broadcaster = _bench.Create(_bench.Settings("w-stop"));
        broadcaster.UpdatePresence(Snapshot("w-stop"));
        await broadcaster.StartAsync(CancellationToken.None);
        await live.WaitForAsync(m => m.Json is not null, Patience);

        await broadcaster.StopAsync(CancellationToken.None);

        Assert.That(await MosquittoSubscriber.ReadRetainedAsync(Broker, Topic("w-stop")), Is.Null, "The retained capability must be gone when StopAsync returns.");
        var last = await live.WaitForAsync(m => m.Payload.Length == 0, Patience);
        var beforeLast = live.Messages[^2];
        Assert.That(live.Messages[^1], Is.SameAs(last));
        Assert.That((string?)beforeLast.Json!["status"], Is.EqualTo("draining"));
        Assert.That((int)beforeLast.Json!["idle_count"]!, Is.EqualTo(0));
        Assert.That(Broker.Log, Has.Some.Contains("Client mediaworker-w-stop disconnected."), "a clean DISCONNECT, so the broker drops the will");
        await Task.Delay(500);
        Assert.That(live.Messages.Count(m => m.Payload.Length == 0), Is.EqualTo(1), "no will after the clean stop: " + MosquittoSubscriber.Describe(live.Messages));
    }

    [Test]
    public async Task Will_ClearsTheCapability_WhenTheLinkDiesWithoutGoodbye_AndTheReconnectRestoresItWithAHigherSession()
    {
        await using var live = await MosquittoSubscriber.StartAsync(Broker, "inference/workers/+");
        await using var link = TcpLinkProxy.To(Broker.Port);
        await using var broadcaster = _bench.Create(_bench.Settings("w-will") with { Port = link.Port });
        broadcaster.UpdatePresence(Snapshot("w-will"));
        await broadcaster.StartAsync(CancellationToken.None);
        var first = await live.WaitForAsync(m => m.Json is not null, Patience);

        link.Cut();

        var cleared = await live.WaitForAsync(m => m.Payload.Length == 0, Patience);
        var restored = await live.WaitForAsync(m => m.Json is not null && m.ReceivedAt >= cleared.ReceivedAt, Patience, fromIndex: live.Messages.ToList().IndexOf(cleared));
        Assert.That((long)first.Json!["session"]!, Is.EqualTo(1));
        Assert.That((long)restored.Json!["session"]!, Is.EqualTo(2));
        Assert.That((long)restored.Json!["seq"]!, Is.GreaterThan((long)first.Json!["seq"]!));
        Assert.That((await MosquittoSubscriber.ReadRetainedAsync(Broker, Topic("w-will")))?.Json?["session"]?.GetValue<long>(), Is.EqualTo(2));
        Assert.That(Logs.AtLeast(LogLevel.Warning).Count(e => e.Message.Contains("lost", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(link.Connections, Is.EqualTo(2), "one reconnect, through the same proxy");
    }

    [Test]
    public async Task JobEvents_AcrossACutLink_AllArriveInOrder_DuplicatedAtMostByTheResentWindow()
    {
        const int Count = 4000;
        await using var live = await MosquittoSubscriber.StartAsync(Broker, "inference/events", "inference/workers/+");
        await using var link = TcpLinkProxy.To(Broker.Port);
        await using var broadcaster = _bench.Create(_bench.Settings("w-cut") with { Port = link.Port });
        broadcaster.UpdatePresence(Snapshot("w-cut"));
        await broadcaster.StartAsync(CancellationToken.None);
        await live.WaitForAsync(m => m.Json is not null && m.Topic == Topic("w-cut"), Patience);

        for (var i = 0; i < Count; i++)
        {
            broadcaster.PublishJobEvent(new JobEvent($"job-{i}", JobEventType.Completed, "noop", "w-cut", i, 100, 1));
            if (i == Count / 4)
            {
                // Mid-stream: events are in flight (sent, no PUBACK yet) and queued when the link dies.
                while (link.ForwardedBytes < 20_000)
                {
                    await Task.Delay(1);
                }

                link.Cut();
            }
        }

        var events = await WaitForDistinctJobsAsync(live, Count);

        var indexes = events.Select(e => int.Parse(((string)e.Json!["job_id"]!)[4..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var firstSeen = indexes.Distinct().ToList();
        Assert.That(firstSeen, Is.EqualTo(Enumerable.Range(0, Count)), "every event, in the order it happened");
        var duplicates = indexes.Count - firstSeen.Count;
        Assert.That(duplicates, Is.LessThanOrEqualTo(broadcaster.Connection!.InFlightLimit), "only the unacknowledged window is sent again");
        Assert.That(link.Connections, Is.GreaterThanOrEqualTo(2));
        // The subscriber can see the last event before its PUBACK reaches the publisher, so the buffer drains a moment later.
        Assert.That(await DaemonEnvironment.EventuallyAsync(() => broadcaster.PendingEvents == 0, Patience), Is.True, $"{broadcaster.PendingEvents} events still await their acknowledgement");
        var sessions = live.Messages.Where(m => m.Topic == Topic("w-cut") && m.Json is not null).Select(m => (long)m.Json!["session"]!).Distinct();
        Assert.That(sessions, Is.EqualTo(new[] { 1L, 2L }));
        TestContext.Progress.WriteLine($"{Count} events across a cut link: {duplicates} sent twice, {link.Connections} connections");
    }

    [Test]
    public async Task ALongOutage_KeepsTheNewestEvents_DropsTheOldestWithOneWarning_AndSendsTheRestInOrder()
    {
        await Broker.StopAsync();
        await using var broadcaster = _bench.Create(_bench.Settings("w-outage"));
        broadcaster.UpdatePresence(Snapshot("w-outage"));
        await broadcaster.StartAsync(CancellationToken.None);
        const int Extra = 25;
        var total = MqttBroadcaster.EventBufferCapacity + Extra;
        for (var i = 0; i < total; i++)
        {
            broadcaster.PublishJobEvent(new JobEvent($"job-{i}", JobEventType.Completed, "noop", "w-outage", i, 100, 1));
        }

        Assert.That(broadcaster.PendingEvents, Is.EqualTo(MqttBroadcaster.EventBufferCapacity));
        Assert.That(Logs.AtLeast(LogLevel.Warning).Count(e => e.Message.Contains("piling up", StringComparison.Ordinal)), Is.EqualTo(1), "one warning, not one per dropped event");

        await Broker.StartAgainAsync();
        await using var live = await MosquittoSubscriber.StartAsync(Broker, "inference/events");
        var events = await WaitForDistinctJobsAsync(live, MqttBroadcaster.EventBufferCapacity);

        Assert.That(events.Select(e => (string?)e.Json!["job_id"]).Distinct(), Is.EqualTo(Enumerable.Range(Extra, MqttBroadcaster.EventBufferCapacity).Select(i => $"job-{i}")));
        Assert.That(Logs.Entries.Select(e => e.Message), Has.Some.Contains($"{Extra} job events were dropped"));
    }

    [Test]
    public async Task BrokerRestart_RestoresTheCapabilityWithAHigherSession_LoggingOneLinePerChange()
    {
        await using var broadcaster = _bench.Create(_bench.Settings("w-restart"));
        broadcaster.UpdatePresence(Snapshot("w-restart"));
        await broadcaster.StartAsync(CancellationToken.None);
        await _bench.WaitForRetainedAsync("w-restart", json => (long)json["session"]! == 1);

        await Broker.StopAsync();
        await Task.Delay(1500); // several failed reconnect attempts (backoff 0.1 .. 0.5 s)
        broadcaster.UpdatePresence(Snapshot("w-restart", activeJobs: 2));
        await Broker.StartAgainAsync();

        var json = await _bench.WaitForRetainedAsync("w-restart", json => (long)json["session"]! == 2);
        Assert.That((int)json["active_jobs"]!, Is.EqualTo(2), "the reconnect publishes the latest state, not the one before the outage");
        var lines = Logs.AtLeast(LogLevel.Information).Select(e => e.Message).ToList();
        Assert.That(lines.Count(l => l.Contains("lost", StringComparison.Ordinal)), Is.EqualTo(1), string.Join('\n', lines));
        Assert.That(lines.Count(l => l.Contains("unreachable", StringComparison.Ordinal)), Is.Zero, string.Join('\n', lines));
        Assert.That(lines.Count(l => l.StartsWith("MQTT connected", StringComparison.Ordinal)), Is.EqualTo(2), string.Join('\n', lines));
        Assert.That(Logs.Entries.Count(e => e.Message.Contains("still unreachable", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(2), "it kept retrying while the broker was down");
    }

    [Test]
    public async Task Heartbeat_RepublishesEveryInterval_WithSeqPlusOne()
    {
        await using var live = await MosquittoSubscriber.StartAsync(Broker, "inference/workers/+");
        await using var broadcaster = _bench.Create(_bench.Settings("w-beat", heartbeat: TimeSpan.FromMilliseconds(300)));
        broadcaster.UpdatePresence(Snapshot("w-beat"));
        await broadcaster.StartAsync(CancellationToken.None);

        var beats = await live.WaitForCountAsync(m => m.Json is not null, 7, Patience);

        var gaps = beats.Zip(beats.Skip(1), (a, b) => (b.ReceivedAt - a.ReceivedAt).TotalMilliseconds).Order().ToList();
        Assert.That(gaps[gaps.Count / 2], Is.InRange(200, 600), "median spacing: " + string.Join(", ", gaps));
        Assert.That(beats.Select(b => (long)b.Json!["seq"]!), Is.EqualTo(Enumerable.Range(1, beats.Count).Select(i => (long)i)));
        Assert.That(beats.Select(b => (long)b.Json!["session"]!).Distinct(), Is.EqualTo(new[] { 1L }));
        Assert.That(beats.All(b => b.Retained == false && b.Qos == 1), "live subscribers get retained publications without the retain flag, at QoS 1");
    }

    [Test]
    public async Task ABurstOfAThousandChanges_SendsAFewMessages_EndingWithTheLatestState()
    {
        await using var live = await MosquittoSubscriber.StartAsync(Broker, "inference/workers/+");
        await using var broadcaster = _bench.Create(_bench.Settings("w-burst"), changeInterval: TimeSpan.FromMilliseconds(500));
        broadcaster.UpdatePresence(Snapshot("w-burst"));
        await broadcaster.StartAsync(CancellationToken.None);
        await live.WaitForAsync(m => m.Json is not null, Patience);

        for (var i = 1; i <= 1000; i++)
        {
            broadcaster.UpdatePresence(Snapshot("w-burst", activeJobs: i % 4));
        }

        broadcaster.UpdatePresence(Snapshot("w-burst", activeJobs: 3));
        var settled = await live.WaitForAsync(m => m.Json is { } json && (int)json["active_jobs"]! == 3, Patience);
        await Task.Delay(1200); // anything still to come would arrive within two change intervals

        var messages = live.Messages.Where(m => m.Json is not null).ToList();
        Assert.That(messages, Has.Count.InRange(2, 4), MosquittoSubscriber.Describe(messages));
        Assert.That(messages[^1], Is.SameAs(settled));
    }

    [Test]
    public async Task APluginDroppedIn_ChangesTheCapabilitiesAndPluginsAnnounced()
    {
        await using var live = await MosquittoSubscriber.StartAsync(Broker, "inference/workers/+");
        await using var broadcaster = _bench.Create(_bench.Settings("w-dropin"));
        broadcaster.UpdatePresence(Snapshot("w-dropin"));
        await broadcaster.StartAsync(CancellationToken.None);
        await live.WaitForAsync(m => m.Json is not null, Patience);

        broadcaster.UpdatePresence(Snapshot("w-dropin") with
        {
            Capabilities = ["audio.transcribe", "image.resize", "image.thumbnail", "video.probe"],
            Plugins = [.. MqttBench.Plugins, new("Speech", "0.9.0", ["audio.transcribe"])],
        });

        var changed = await live.WaitForAsync(m => m.Json is { } json && json["capabilities"]!.AsArray().Count == 4, Patience);
        Assert.That(changed.Json!["capabilities"]!.AsArray().Select(c => (string?)c), Does.Contain("audio.transcribe"));
        Assert.That(changed.Json!["plugins"]!.AsArray().Select(p => (string?)p!["name"]), Is.EqualTo(new[] { "Image", "Video", "Speech" }));
        Assert.That((long)changed.Json!["seq"]!, Is.EqualTo(2));
    }

    [Test]
    public async Task UpdatesThatChangeNothingVisible_SendNothing()
    {
        await using var live = await MosquittoSubscriber.StartAsync(Broker, "inference/workers/+");
        await using var broadcaster = _bench.Create(_bench.Settings("w-same"), changeInterval: TimeSpan.FromMilliseconds(100));
        broadcaster.UpdatePresence(Snapshot("w-same"));
        await broadcaster.StartAsync(CancellationToken.None);
        await live.WaitForAsync(m => m.Json is not null, Patience);

        for (var i = 0; i < 100; i++)
        {
            broadcaster.UpdatePresence(Snapshot("w-same"));
        }

        await Task.Delay(600);
        Assert.That(live.Messages, Has.Count.EqualTo(1), MosquittoSubscriber.Describe(live.Messages));
    }

    [Test]
    public async Task JobEvents_ArePublishedInOrder_AtQos1_NotRetained_WithTheirFields()
    {
        await using var live = await MosquittoSubscriber.StartAsync(Broker, "inference/events");
        await using var broadcaster = _bench.Create(_bench.Settings("w-events"));
        broadcaster.UpdatePresence(Snapshot("w-events"));
        await broadcaster.StartAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        broadcaster.PublishJobEvent(new JobEvent("job-1", JobEventType.Processing, "image.resize", "w-events", now, 0, 1));
        broadcaster.PublishJobEvent(new JobEvent("job-1", JobEventType.Progress, "image.resize", "w-events", now + 1, 50, 1));
        broadcaster.PublishJobEvent(new JobEvent("job-1", JobEventType.Retrying, "image.resize", "w-events", now + 2, 50, 1, "disk busy"));
        broadcaster.PublishJobEvent(new JobEvent("job-1", JobEventType.Completed, "image.resize", "w-events", now + 3, 100, 2));
        broadcaster.PublishJobEvent(new JobEvent("job-2", JobEventType.Failed, "video.probe", "w-events", now + 4, 0, 1, "input_path: 'x.mp4' does not exist"));
        broadcaster.PublishJobEvent(new JobEvent("job-3", JobEventType.Cancelled, "video.probe", "w-events", now + 5, 10, 1));

        var events = await live.WaitForCountAsync(_ => true, 6, Patience);

        Assert.That(events.Select(e => (string?)e.Json!["event_type"]), Is.EqualTo(new[] { "processing", "progress", "retrying", "completed", "failed", "cancelled" }));
        Assert.That(events.All(e => !e.Retained && e.Qos == 1 && e.Topic == "inference/events"));
        Assert.That(events[0].Payload, Is.EqualTo($$"""{"job_id":"job-1","event_type":"processing","task_type":"image.resize","worker_id":"w-events","timestamp":{{now}},"progress":0,"attempt":1}"""));
        Assert.That((string?)events[2].Json!["error"], Is.EqualTo("disk busy"));
        Assert.That((int)events[3].Json!["attempt"]!, Is.EqualTo(2));
        Assert.That((string?)events[4].Json!["error"], Is.EqualTo("input_path: 'x.mp4' does not exist"));
        Assert.That(events[5].Json!.ContainsKey("error"), Is.False);
    }

    [Test]
    public async Task BrokerDownAtStart_StartReturnsAtOnce_AndBufferedEventsAndTheCapabilityFollowTheFirstConnect()
    {
        await Broker.StopAsync();
        var settings = _bench.Settings("w-late") with { ReconnectDelayMin = TimeSpan.FromSeconds(3), ReconnectDelayMax = TimeSpan.FromSeconds(3) };
        await using var broadcaster = _bench.Create(settings);
        var started = Stopwatch.StartNew();
        broadcaster.UpdatePresence(Snapshot("w-late"));
        await broadcaster.StartAsync(CancellationToken.None);
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromMilliseconds(500)));
        broadcaster.PublishJobEvent(new JobEvent("job-9", JobEventType.Completed, "image.resize", "w-late", 1, 100, 1));
        while (!Logs.Entries.Any(e => e.Message.Contains("unreachable", StringComparison.Ordinal)))
        {
            Assert.That(started.Elapsed, Is.LessThan(Patience), "the first attempt never failed");
            await Task.Delay(20);
        }

        // The next attempt is 1.5 to 3 s after the first: time enough to be listening before it.
        await Broker.StartAgainAsync();
        await using var live = await MosquittoSubscriber.StartAsync(Broker, "inference/#");

        var capability = await live.WaitForAsync(m => m.Json is not null && m.Topic == Topic("w-late"), Patience);
        var completed = await live.WaitForAsync(m => m.Topic == "inference/events", Patience);
        Assert.That((long)capability.Json!["session"]!, Is.EqualTo(1));
        Assert.That((string?)completed.Json!["job_id"], Is.EqualTo("job-9"));
        Assert.That(live.Messages.ToList().IndexOf(capability), Is.LessThan(live.Messages.ToList().IndexOf(completed)), "the capability goes first on a new connection");
        Assert.That(Logs.AtLeast(LogLevel.Warning).Count(e => e.Message.Contains("unreachable", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task Stop_WhenTheBrokerIsDown_ReturnsWithinItsBound()
    {
        await using var broadcaster = _bench.Create(_bench.Settings("w-down"));
        broadcaster.UpdatePresence(Snapshot("w-down"));
        await broadcaster.StartAsync(CancellationToken.None);
        await _bench.WaitForRetainedAsync("w-down", _ => true);
        await Broker.StopAsync();

        var stopping = Stopwatch.StartNew();
        await broadcaster.StopAsync(CancellationToken.None);

        Assert.That(stopping.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3 + 1)));
        Assert.That(Logs.AtLeast(LogLevel.Warning).Select(e => e.Message), Has.Some.Contains("could not be cleared"));
    }

    [Test]
    public async Task Session_IsPersistedPerWorker_AndGrowsAcrossRuns()
    {
        for (var run = 1; run <= 2; run++)
        {
            await using var broadcaster = _bench.Create(_bench.Settings("w-session"));
            broadcaster.UpdatePresence(Snapshot("w-session"));
            await broadcaster.StartAsync(CancellationToken.None);
            var expected = run;
            await _bench.WaitForRetainedAsync("w-session", json => (long)json["session"]! == expected);
            await broadcaster.StopAsync(CancellationToken.None);
        }

        Assert.That(File.ReadAllText(_bench.ServerDirectory.Combine("mqtt", "w-session.session")), Is.EqualTo("2"));
    }

    private static async Task<IReadOnlyList<MosquittoSubscriber.Message>> WaitForDistinctJobsAsync(MosquittoSubscriber live, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var events = live.Messages.Where(m => m.Topic == "inference/events").ToList();
            if (events.Select(e => (string?)e.Json!["job_id"]).Distinct().Count() >= count)
            {
                return events;
            }

            Assert.That(deadline.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), $"only {events.Count} events arrived");
            await Task.Delay(100);
        }
    }

    [Test]
    public async Task AnIdleLink_CarriesTheKeepAliveInItsConnect_AndOurPingsKeepItUp()
    {
        await using var broadcaster = await _bench.StartBroadcasterAsync("w-idle");

        // MQTTnet itself is given no keep-alive (its loop would wake four times a second); the CONNECT still says 5 s.
        Assert.That(Broker.Log, Has.Some.Matches<string>(l => l.Contains("as mediaworker-w-idle (", StringComparison.Ordinal) && l.Contains(", k5)", StringComparison.Ordinal)), string.Join('\n', Broker.Log));

        // Silent for longer than the broker allows (1.5 x 5 s, checked every few seconds): only PINGREQs keep the link.
        await Task.Delay(TimeSpan.FromSeconds(12));

        Assert.That(broadcaster.Connection!.IsConnected, Is.True);
        Assert.That(broadcaster.Connection.Generation, Is.EqualTo(1), "the link was never dropped and re-made");
        Assert.That(Broker.Log, Has.None.Contains("exceeded timeout"), string.Join('\n', Broker.Log));
    }
}
