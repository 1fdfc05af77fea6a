using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins;

/// <summary>A task type the worker can run, with the plugin that provides it.</summary>
/// <param name="Handler">The plugin's handler.</param>
/// <param name="PluginName">The providing plugin's manifest name (<c>builtin</c> for noop/sleep).</param>
/// <param name="PluginVersion">The providing plugin's manifest version.</param>
public sealed record RegisteredTask(ITaskHandler Handler, string PluginName, string PluginVersion)
{
    /// <summary>The handler's descriptor, read once at load.</summary>
    public TaskDescriptor Descriptor { get; } = Handler.Descriptor;
}

/// <summary>A plugin that loaded, and the task types it serves.</summary>
/// <param name="Name">The manifest name (<c>builtin</c> for the daemon's own tasks).</param>
/// <param name="Version">The manifest version.</param>
/// <param name="Directory">The plugin's folder (the daemon's own folder for <c>builtin</c>).</param>
/// <param name="Tasks">Its task types, in the order the plugin declared them.</param>
public sealed record LoadedPlugin(string Name, string Version, string Directory, IReadOnlyList<string> Tasks);

/// <summary>A plugin folder that did not load, and why (shown by <c>mediaworker plugins</c> and logged).</summary>
/// <param name="Directory">The plugin folder.</param>
/// <param name="Name">The manifest name, when the manifest could be read.</param>
/// <param name="Reason">What went wrong, for the person who installed the plugin.</param>
public sealed record PluginLoadFailure(string Directory, string? Name, string Reason);

/// <summary>An immutable snapshot of every task the process can run; replaced as a whole when plugins change.</summary>
public sealed class TaskRegistry
{
    /// <summary>Creates a snapshot; the plugin host builds these.</summary>
    public TaskRegistry(IReadOnlyDictionary<string, RegisteredTask> tasks, IReadOnlyList<LoadedPlugin> plugins, IReadOnlyList<PluginLoadFailure> failures)
    {
        Tasks = tasks;
        Plugins = plugins;
        Failures = failures;
    }

    /// <summary>No tasks, no plugins: the catalog's value before the first load.</summary>
    public static TaskRegistry Empty { get; } = new(new Dictionary<string, RegisteredTask>(), [], []);

    /// <summary>Every servable task type (ordinal keys), with its handler and plugin.</summary>
    public IReadOnlyDictionary<string, RegisteredTask> Tasks { get; }

    /// <summary>The loaded plugins, <c>builtin</c> first, then in load order.</summary>
    public IReadOnlyList<LoadedPlugin> Plugins { get; }

    /// <summary>The plugin folders that did not load, with their reasons.</summary>
    public IReadOnlyList<PluginLoadFailure> Failures { get; }
}

/// <summary>
/// Holds the current <see cref="TaskRegistry"/>. The plugin loader publishes new snapshots (at start
/// and when a plugin folder is dropped in); the runtime and the presence publisher read them.
/// </summary>
public sealed class TaskCatalog
{
    private TaskRegistry _current = TaskRegistry.Empty;

    /// <summary>The latest snapshot.</summary>
    public TaskRegistry Current => Volatile.Read(ref _current);

    /// <summary>Raised after <see cref="Publish"/> replaced the snapshot.</summary>
    public event Action<TaskRegistry>? Changed;

    /// <summary>Replaces the snapshot and raises <see cref="Changed"/> on the caller's thread.</summary>
    public void Publish(TaskRegistry registry)
    {
        Volatile.Write(ref _current, registry);
        Changed?.Invoke(registry);
    }
}
