using MediaWorker.Messaging;
using MediaWorker.Plugins;

namespace MediaWorker.Execution;

/// <summary>What a running worker shows to components outside it: its plugins and its state now.</summary>
/// <param name="Catalog">The loaded task types; replaced as plugin folders come and go.</param>
/// <param name="Snapshot">The worker's state at the moment of the call (slots, status, tasks).</param>
/// <param name="BrokerConnected">True while connected to the MQTT broker, false while not, null without MQTT.</param>
public sealed record RunningWorker(TaskCatalog Catalog, Func<WorkerSnapshot> Snapshot, Func<bool?> BrokerConnected);

/// <summary>
/// Optional observers of a <see cref="WorkerRuntime"/> (the operations surface of <c>mediaworker run</c>):
/// the runtime calls them and knows nothing else about them.
/// </summary>
public sealed class RuntimeHooks
{
    /// <summary>No observers.</summary>
    public static RuntimeHooks None { get; } = new();

    /// <summary>Every job event, as announced.</summary>
    public IJobEventSink? JobEvents { get; init; }

    /// <summary>Called once the plugins are loaded and the worker is about to claim.</summary>
    public Action<RunningWorker>? Started { get; init; }

    /// <summary>Called when the worker stops claiming (the first stop signal).</summary>
    public Action? Stopping { get; init; }
}
