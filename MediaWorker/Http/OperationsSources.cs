using MediaWorker.Execution;
using MediaWorker.Plugins;

namespace MediaWorker.Http;

/// <summary>
/// What the operations surface learns from the process it runs in: the plugin catalog (loaded by
/// <c>serve</c> itself, or by the worker of <c>run</c> once it started) and the worker's MQTT link.
/// Until the plugins are loaded, /readyz says not ready.
/// </summary>
public sealed class OperationsSources
{
    private TaskCatalog? _catalog;
    private Func<bool?> _brokerConnected = static () => null;

    /// <summary>The plugin folder the catalog loads from.</summary>
    public required string PluginDirectory { get; init; }

    /// <summary>The loaded plugins, or null before they are.</summary>
    public TaskRegistry? Plugins => Volatile.Read(ref _catalog)?.Current;

    /// <summary>True while the worker in this process is connected to its broker; null without one.</summary>
    public bool? BrokerConnected => Volatile.Read(ref _brokerConnected)();

    public void UsePlugins(TaskCatalog catalog) => Volatile.Write(ref _catalog, catalog);

    /// <summary>Called by the runtime's <see cref="RuntimeHooks.Started"/>.</summary>
    public void UseWorker(RunningWorker worker, Func<bool?> brokerConnected)
    {
        ArgumentNullException.ThrowIfNull(worker);
        UsePlugins(worker.Catalog);
        Volatile.Write(ref _brokerConnected, brokerConnected);
    }
}
