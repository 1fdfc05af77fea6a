using MediaWorker.Plugins;

namespace MediaWorker.Execution;

/// <summary>
/// Counts running jobs against the worker's concurrency and each task's own limit
/// (<c>TaskDescriptor.MaxConcurrency</c>), and says how many more of each type may start.
/// </summary>
public sealed class SlotPool(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _byType = new(StringComparer.Ordinal);
    private int _active;

    public int Capacity { get; } = capacity;

    public int Active
    {
        get
        {
            lock (_gate)
            {
                return _active;
            }
        }
    }

    public (IReadOnlyList<(string TaskType, int Allowance)> Allowances, int Free) Allowances(IReadOnlyList<string> served, TaskRegistry registry)
    {
        lock (_gate)
        {
            var free = Capacity - _active;
            if (free <= 0)
            {
                return ([], 0);
            }

            var allowances = new List<(string, int)>(served.Count);
            foreach (var type in served)
            {
                var limit = registry.Tasks.TryGetValue(type, out var task) ? task.Descriptor.MaxConcurrency ?? int.MaxValue : 0;
                var room = Math.Min(free, limit - _byType.GetValueOrDefault(type));
                if (room > 0)
                {
                    allowances.Add((type, room));
                }
            }

            return (allowances, free);
        }
    }

    public void Take(string taskType)
    {
        lock (_gate)
        {
            _active++;
            _byType[taskType] = _byType.GetValueOrDefault(taskType) + 1;
        }
    }

    public void Release(string taskType)
    {
        lock (_gate)
        {
            _active--;
            _byType[taskType] = _byType.GetValueOrDefault(taskType) - 1;
        }
    }
}
