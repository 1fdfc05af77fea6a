using MediaWorker.Plugins;

namespace MediaWorker.Execution;

/// <summary>
/// The task types this worker serves: those requested (WORKER_SUPPORTED_TASKS, or every loaded
/// task when empty) that a loaded plugin provides. Recomputed when plugins change.
/// </summary>
public sealed class ServedTasks(IReadOnlyList<string> requested)
{
    private IReadOnlyList<string> _current = [];

    public IReadOnlyList<string> Current => Volatile.Read(ref _current);

    /// <summary>Requested task types no loaded plugin provides (for the log).</summary>
    public IReadOnlyList<string> Missing { get; private set; } = [];

    public void Update(TaskRegistry registry)
    {
        var loaded = registry.Tasks.Keys.Order(StringComparer.Ordinal).ToList();
        if (requested.Count == 0)
        {
            Missing = [];
            Volatile.Write(ref _current, loaded);
            return;
        }

        Missing = requested.Where(t => !registry.Tasks.ContainsKey(t)).ToList();
        Volatile.Write(ref _current, requested.Where(registry.Tasks.ContainsKey).ToList());
    }
}
