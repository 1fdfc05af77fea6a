using System.Text.Json.Nodes;
using MediaWorker.Storage;

namespace MediaWorker.Http.Events;

/// <summary>
/// Turns observed job states into lifecycle events, each once: the runtime's own announcements (in
/// the same process) and rows read from the database both pass through here, and whichever comes
/// first is the one published. States are remembered for <see cref="Memory"/> after the last change.
/// </summary>
public sealed class JobStateTracker(EventHub hub, Func<long> clock)
{
    /// <summary>How long a job's last state is remembered (longer than the change feed's overlap).</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Known> _known = new(StringComparer.Ordinal);
    private long _lastSweep = clock();

    /// <summary>A job was seen in this state; publishes its event when the state is new.</summary>
    public void Observe(string jobId, string taskType, string status, long attempt, long progress, string? workerId, string? error, long timestamp)
    {
        string? eventType;
        lock (_gate)
        {
            var now = clock();
            _known.TryGetValue(jobId, out var previous);
            eventType = EventType(previous, status, attempt, progress);
            if (eventType is null)
            {
                return;
            }

            _known[jobId] = new Known(status, attempt, Math.Max(progress, previous is not null && previous.Status == status && previous.Attempt == attempt ? previous.Progress : 0), now);
            Sweep(now);
            hub.Publish("job", new JsonObject
            {
                ["job_id"] = jobId,
                ["event_type"] = eventType,
                ["task_type"] = taskType,
                ["status"] = status,
                ["progress"] = status == JobStatus.Completed ? 100 : progress,
                ["attempt"] = attempt,
                ["worker_id"] = workerId,
                ["error"] = error,
                ["timestamp"] = timestamp,
            });
        }
    }

    private static string? EventType(Known? previous, string status, long attempt, long progress)
    {
        if (previous is not null && previous.Status == status && previous.Attempt == attempt)
        {
            return status == JobStatus.Processing && progress > previous.Progress ? "progress" : null;
        }

        if (previous is not null && JobStatus.IsFinished(previous.Status) && JobStatus.IsFinished(status) && previous.Attempt == attempt)
        {
            return null; // a finished job does not finish twice; a later row only restates it
        }

        return status switch
        {
            JobStatus.Queued when previous?.Status == JobStatus.Processing || (previous is null && attempt > 0) => "retrying",
            JobStatus.Queued => "queued",
            JobStatus.Processing => "processing",
            _ => status,
        };
    }

    private void Sweep(long now)
    {
        if (now - _lastSweep < Memory.TotalMilliseconds)
        {
            return;
        }

        _lastSweep = now;
        foreach (var (jobId, known) in _known.ToList())
        {
            if (now - known.SeenAt > Memory.TotalMilliseconds)
            {
                _known.Remove(jobId);
            }
        }
    }

    private sealed record Known(string Status, long Attempt, long Progress, long SeenAt);
}
