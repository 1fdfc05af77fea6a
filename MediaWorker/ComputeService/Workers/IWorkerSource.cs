namespace MediaWorker.ComputeService.Workers;

/// <summary>A worker that is alive now, and what it can take: the source of <c>GET /capabilities</c>.</summary>
public sealed record LiveWorker(string WorkerId, IReadOnlyList<string> Capabilities, int IdleCount);

/// <summary>
/// Where the compute API learns which workers are alive. Today the retained MQTT capability
/// messages (<see cref="MqttWorkerSource"/>); a database heartbeat table can stand in without
/// touching the routes.
/// </summary>
public interface IWorkerSource
{
    /// <summary>The live workers, stale ones (three missed heartbeats) left out.</summary>
    IReadOnlyList<LiveWorker> LiveWorkers(DateTimeOffset now);
}
