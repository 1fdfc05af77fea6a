using MediaWorker.Configuration;
using MediaWorker.Files;
using MediaWorker.Http.Api;
using MediaWorker.Http.Events;

namespace MediaWorker.Http;

/// <summary>What the endpoints share: settings, connections, the clock, the live stream, the process's sources.</summary>
public sealed record OperationsContext(
    WorkerSettings Settings,
    DatabaseConnections Connections,
    Func<long> Clock,
    SandboxPolicy Sandbox,
    OperationsSources Sources,
    EventHub Hub,
    JobStateTracker Tracker);
