using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaWorker.Configuration;
using MediaWorker.Messaging;
using MediaWorker.Messaging.Mqtt;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Messaging.Mqtt;

/// <summary>
/// What an in-process MQTT test needs: a real broker, a server folder for the session counters,
/// recorded logs, and broadcasters aimed at the broker with short timings.
/// </summary>
internal sealed class MqttBench : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static readonly IReadOnlyList<PluginSummary> Plugins =
    [
        new("Image", "1.2.0", ["image.resize", "image.thumbnail"]),
        new("Video", "0.3.1", ["video.probe"]),
    ];

    private MqttBench(MosquittoBroker broker) => Broker = broker;

    public MosquittoBroker Broker { get; private set; }

    public TempDirectory ServerDirectory { get; } = new("mw-mqtt");

    public RecordingLoggerFactory Logs { get; } = new();

    public static async Task<MqttBench> StartAsync() => new(await MosquittoBroker.StartAsync());

    public static WorkerSnapshot Snapshot(string workerId, int activeJobs = 0, bool draining = false, int maxConcurrency = 4) =>
        new(workerId, ["image.resize", "image.thumbnail", "video.probe"], maxConcurrency, activeJobs, draining, Plugins);

    public static string Topic(string workerId) => $"inference/workers/{workerId}";

    /// <summary>Swaps the broker for one with users or TLS.</summary>
    public async Task ReplaceBrokerAsync(IReadOnlyDictionary<string, string>? users = null, TestCertificateAuthority? tls = null)
    {
        await Broker.DisposeAsync();
        Broker = await MosquittoBroker.StartAsync(users, tls);
    }

    public BroadcastSettings Settings(string workerId, TimeSpan? heartbeat = null) => new()
    {
        Host = Broker.Host,
        Port = Broker.Port,
        UseTls = Broker.Tls is not null,
        CaFile = Broker.Tls?.CaCertificate,
        ClientId = $"mediaworker-{workerId}",
        KeepAlive = TimeSpan.FromSeconds(5),
        HeartbeatInterval = heartbeat ?? TimeSpan.FromSeconds(30),
        ReconnectDelayMin = TimeSpan.FromMilliseconds(100),
        ReconnectDelayMax = TimeSpan.FromMilliseconds(500),
        CapabilityTopicPrefix = "inference/workers",
        EventTopic = "inference/events",
    };

    public MqttBroadcaster Create(BroadcastSettings settings, TimeSpan? changeInterval = null) =>
        new(settings, ServerDirectory.Path, Logs) { ChangeInterval = changeInterval ?? TimeSpan.FromSeconds(1), StopTimeout = TimeSpan.FromSeconds(3) };

    /// <summary>Starts a broadcaster and returns once its capability is retained on the broker.</summary>
    public async Task<MqttBroadcaster> StartBroadcasterAsync(string workerId, int activeJobs = 0)
    {
        var broadcaster = Create(Settings(workerId));
        broadcaster.UpdatePresence(Snapshot(workerId, activeJobs));
        await broadcaster.StartAsync(CancellationToken.None);
        await WaitForRetainedAsync(workerId, _ => true);
        return broadcaster;
    }

    /// <summary>Polls with a fresh mosquitto_sub until the retained capability of <paramref name="workerId"/> matches.</summary>
    public async Task<JsonObject> WaitForRetainedAsync(string workerId, Func<JsonObject, bool> predicate)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var retained = await MosquittoSubscriber.ReadRetainedAsync(Broker, Topic(workerId));
            if (retained?.Json is { } json && predicate(json))
            {
                return json;
            }

            Assert.That(deadline.Elapsed, Is.LessThan(Patience), $"The retained capability of {workerId} never matched; last: {retained?.Payload ?? "(none)"}");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the broker has seen <paramref name="count"/> TCP connections in all.</summary>
    public async Task WaitForConnectionAttemptsAsync(int count)
    {
        var deadline = Stopwatch.StartNew();
        while (Broker.ConnectionCount < count && deadline.Elapsed < Patience)
        {
            await Task.Delay(100);
        }

        Assert.That(Broker.ConnectionCount, Is.GreaterThanOrEqualTo(count), "it keeps trying");
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        ServerDirectory.Dispose();
        Logs.Dispose();
    }
}
