using MediaWorker.Messaging;

namespace MediaWorker.Tests.Execution.Support;

/// <summary>Keeps the job events and presence snapshots the runtime announces, and lets a test await one.</summary>
internal sealed class RecordingBroadcaster : IWorkerBroadcaster
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Lock _gate = new();
    private readonly List<JobEvent> _events = [];
    private readonly List<(Func<JobEvent, bool> Match, TaskCompletionSource<JobEvent> Done)> _waiters = [];
    private readonly TaskCompletionSource _draining = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<JobEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Completes when the worker announced that it is draining.</summary>
    public Task Draining => _draining.Task;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void UpdatePresence(WorkerSnapshot snapshot)
    {
        if (snapshot.Draining)
        {
            _draining.TrySetResult();
        }
    }

    public void PublishJobEvent(JobEvent jobEvent)
    {
        List<TaskCompletionSource<JobEvent>> matched = [];
        lock (_gate)
        {
            _events.Add(jobEvent);
            foreach (var waiter in _waiters.Where(w => w.Match(jobEvent)).ToList())
            {
                _waiters.Remove(waiter);
                matched.Add(waiter.Done);
            }
        }

        matched.ForEach(m => m.TrySetResult(jobEvent));
    }

    /// <summary>The first event (already seen or still to come) that matches.</summary>
    public Task<JobEvent> WaitForAsync(Func<JobEvent, bool> match)
    {
        var done = new TaskCompletionSource<JobEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_events.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            _waiters.Add((match, done));
        }

        return done.Task.WaitAsync(Patience);
    }

    public Task<JobEvent> WaitForAsync(string jobId, JobEventType type, int attempt = 0) =>
        WaitForAsync(e => e.JobId == jobId && e.EventType == type && (attempt == 0 || e.Attempt == attempt));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
