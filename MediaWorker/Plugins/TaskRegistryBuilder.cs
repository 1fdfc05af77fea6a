namespace MediaWorker.Plugins;

/// <summary>
/// Assembles a <see cref="TaskRegistry"/>, starting empty or from the current one (drop-in), and
/// refuses a plugin whose name or any task type is already taken, naming both plugins.
/// </summary>
internal sealed class TaskRegistryBuilder
{
    private readonly Dictionary<string, RegisteredTask> _tasks;
    private readonly List<LoadedPlugin> _plugins;
    private readonly List<PluginLoadFailure> _failures;

    public TaskRegistryBuilder(TaskRegistry? start = null)
    {
        start ??= TaskRegistry.Empty;
        _tasks = new Dictionary<string, RegisteredTask>(start.Tasks, StringComparer.Ordinal);
        _plugins = [.. start.Plugins];
        _failures = [.. start.Failures];
    }

    /// <summary>Adds every task of <paramref name="plugin"/>, or none of them.</summary>
    /// <returns><see langword="null"/> when added; otherwise why it was refused.</returns>
    public PluginLoadFailure? TryAdd(PluginHandlers plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        if (_plugins.FirstOrDefault(p => string.Equals(p.Name, plugin.Name, StringComparison.OrdinalIgnoreCase)) is { } sameName)
        {
            return new(plugin.Directory, plugin.Name,
                $"a plugin named '{sameName.Name}' is already loaded from {sameName.Directory}; plugin names must be unique, so this folder was skipped");
        }

        foreach (var handler in plugin.Handlers)
        {
            var taskType = handler.Descriptor.TaskType;
            if (_tasks.TryGetValue(taskType, out var existing))
            {
                var owner = _plugins.First(p => p.Name == existing.PluginName);
                return new(plugin.Directory, plugin.Name,
                    $"task type '{taskType}' is already provided by plugin '{existing.PluginName}' ({owner.Directory}), so plugin '{plugin.Name}' was skipped; "
                    + "remove one of the two plugins or rename the task");
            }
        }

        foreach (var handler in plugin.Handlers)
        {
            _tasks[handler.Descriptor.TaskType] = new RegisteredTask(handler, plugin.Name, plugin.Version);
        }

        _plugins.Add(new LoadedPlugin(plugin.Name, plugin.Version, plugin.Directory, plugin.Handlers.Select(h => h.Descriptor.TaskType).ToList()));
        RemoveFailure(plugin.Directory);
        return null;
    }

    /// <summary>Records why a folder did not load, replacing an earlier reason for the same folder.</summary>
    public void AddFailure(PluginLoadFailure failure)
    {
        RemoveFailure(failure.Directory);
        _failures.Add(failure);
    }

    /// <returns>Whether there was a failure to remove.</returns>
    public bool RemoveFailure(string directory) => _failures.RemoveAll(f => f.Directory == directory) > 0;

    public TaskRegistry Build() => new(
        new Dictionary<string, RegisteredTask>(_tasks, StringComparer.Ordinal),
        _plugins.ToList(),
        _failures.ToList());
}
