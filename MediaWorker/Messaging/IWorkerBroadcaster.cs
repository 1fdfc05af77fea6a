namespace MediaWorker.Messaging;

/// <summary>
/// Announces the worker (retained capability, heartbeats, will) and its job events.
/// Implementations never block or fail the caller: a broker that is down must not stop jobs.
/// </summary>
public interface IWorkerBroadcaster : IAsyncDisposable
{
    /// <summary>Starts connecting in the background and returns at once.</summary>
    Task StartAsync(WorkerSnapshot initial, CancellationToken cancellationToken);

    /// <summary>Records the worker's new state; publishing is coalesced.</summary>
    void UpdatePresence(WorkerSnapshot snapshot);

    /// <summary>Queues a job event; never blocks.</summary>
    void PublishJobEvent(JobEvent jobEvent);

    /// <summary>Clears the retained capability (bounded wait for the acknowledgement) and disconnects.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
