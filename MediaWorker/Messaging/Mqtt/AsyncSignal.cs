namespace MediaWorker.Messaging.Mqtt;

/// <summary>An auto-reset wake-up for one waiting loop: any number of <see cref="Set"/> calls before a wait count as one.</summary>
internal sealed class AsyncSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private readonly Lock _gate = new();

    public void Set()
    {
        lock (_gate)
        {
            if (_semaphore.CurrentCount == 0)
            {
                _semaphore.Release();
            }
        }
    }

    /// <summary>True when set, false when <paramref name="timeout"/> passed first (<see cref="Timeout.InfiniteTimeSpan"/> waits forever).</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
