using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins;

/// <summary>A task type the worker can run, with the plugin that provides it.</summary>
/// <param name="Handler">The plugin's handler.</param>
/// <param name="PluginName">The providing plugin's manifest name (<c>builtin</c> for noop/sleep).</param>
/// <param name="PluginVersion">The providing plugin's manifest version.</param>
public sealed record RegisteredTask(ITaskHandler Handler, string PluginName, string PluginVersion)
{
    public TaskDescriptor Descriptor { get; } = Handler.Descriptor;
}

/// <summary>A plugin that loaded, and the task types it serves.</summary>
public sealed record LoadedPlugin(string Name, string Version, string Directory, IReadOnlyList<string> Tasks);

/// <summary>A plugin folder that did not load, and why (shown by <c>mediaworker plugins</c> and logged).</summary>
public sealed record PluginLoadFailure(string Directory, string? Name, string Reason);

/// <summary>An immutable snapshot of every task the process can run; replaced as a whole when plugins change.</summary>
public sealed class TaskRegistry
{
    public TaskRegistry(IReadOnlyDictionary<string, RegisteredTask> tasks, IReadOnlyList<LoadedPlugin> plugins, IReadOnlyList<PluginLoadFailure> failures)
    {
        Tasks = tasks;
        Plugins = plugins;
        Failures = failures;
    }

    public static TaskRegistry Empty { get; } = new(new Dictionary<string, RegisteredTask>(), [], []);

    public IReadOnlyDictionary<string, RegisteredTask> Tasks { get; }
    public IReadOnlyList<LoadedPlugin> Plugins { get; }
    public IReadOnlyList<PluginLoadFailure> Failures { get; }
}

/// <summary>
/// Holds the current <see cref="TaskRegistry"/>. The plugin loader publishes new snapshots (at start
/// and when a plugin folder is dropped in); the runtime and the presence publisher read them.
/// </summary>
public sealed class TaskCatalog
{
    private TaskRegistry _current = TaskRegistry.Empty;

    public TaskRegistry Current => Volatile.Read(ref _current);

    /// <summary>Raised after <see cref="Publish"/> replaced the snapshot.</summary>
    public event Action<TaskRegistry>? Changed;

    public void Publish(TaskRegistry registry)
    {
        Volatile.Write(ref _current, registry);
        Changed?.Invoke(registry);
    }
}
