using Microsoft.Extensions.Hosting;

namespace MediaWorker.Messaging;

/// <summary>
/// Announces the worker (retained capability, heartbeats, will) and its job events: a hosted
/// service, started and stopped by the worker with its other loops.
/// Implementations never block or fail the caller: a broker that is down must not stop jobs.
/// </summary>
/// <remarks>
/// <see cref="IHostedService.StartAsync"/> starts connecting in the background and returns at once;
/// the state it announces first is the one given to <see cref="UpdatePresence"/> before it.
/// <see cref="IHostedService.StopAsync"/> clears the retained capability (a bounded wait for the
/// acknowledgement) and disconnects.
/// </remarks>
public interface IWorkerBroadcaster : IHostedService, IAsyncDisposable
{
    /// <summary>Records the worker's new state; publishing is coalesced. Called once before start with the initial state.</summary>
    void UpdatePresence(WorkerSnapshot snapshot);

    /// <summary>Queues a job event; never blocks.</summary>
    void PublishJobEvent(JobEvent jobEvent);
}
