using MediaWorker.Configuration;
using MediaWorker.Messaging;
using MediaWorker.Messaging.Mqtt;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;

namespace MediaWorker.Tests.Messaging.Mqtt;

/// <summary>Builds broadcasters aimed at a test broker, with short timings, and the snapshots they announce.</summary>
internal static class BroadcasterHarness
{
    public static readonly IReadOnlyList<PluginSummary> Plugins =
    [
        new("Image", "1.2.0", ["image.resize", "image.thumbnail"]),
        new("Video", "0.3.1", ["video.probe"]),
    ];

    public static BroadcastSettings Settings(MosquittoBroker broker, string workerId, TimeSpan? heartbeat = null) => new()
    {
        Host = broker.Host,
        Port = broker.Port,
        UseTls = broker.Tls is not null,
        CaFile = broker.Tls?.CaCertificate,
        ClientId = $"mediaworker-{workerId}",
        KeepAlive = TimeSpan.FromSeconds(5),
        HeartbeatInterval = heartbeat ?? TimeSpan.FromSeconds(30),
        ReconnectDelayMin = TimeSpan.FromMilliseconds(100),
        ReconnectDelayMax = TimeSpan.FromMilliseconds(500),
        CapabilityTopicPrefix = "inference/workers",
        EventTopic = "inference/events",
    };

    public static WorkerSnapshot Snapshot(string workerId, int activeJobs = 0, bool draining = false, int maxConcurrency = 4) =>
        new(workerId, ["image.resize", "image.thumbnail", "video.probe"], maxConcurrency, activeJobs, draining, Plugins);

    public static MqttBroadcaster Create(BroadcastSettings settings, TempDirectory serverDirectory, RecordingLoggerFactory logs, TimeSpan? changeInterval = null) =>
        new(settings, serverDirectory.Path, logs) { ChangeInterval = changeInterval ?? TimeSpan.FromSeconds(1), StopTimeout = TimeSpan.FromSeconds(3) };

    public static string Topic(string workerId) => $"inference/workers/{workerId}";
}
