namespace MediaWorker.Messaging;

/// <summary><c>BROADCAST_TYPE=noop</c>: announces nothing.</summary>
public sealed class NoopBroadcaster : IWorkerBroadcaster
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void UpdatePresence(WorkerSnapshot snapshot)
    {
    }

    public void PublishJobEvent(JobEvent jobEvent)
    {
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
