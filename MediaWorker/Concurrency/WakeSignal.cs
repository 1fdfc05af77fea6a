namespace MediaWorker.Concurrency;

/// <summary>
/// The daemon's one coalescing wake-up: an async auto-reset signal for a single waiting loop.
/// <see cref="Set"/> wakes the waiter (or the next one to wait); any number of sets before a wait
/// collapse into one wake-up. The claim loop, heartbeats, the MQTT pump and reconnect loop, the
/// plugin folder watcher and <c>workers --watch</c> all wait on one.
/// </summary>
/// <remarks>
/// A wait ends on a set (true), on its timeout or on cancellation (false; it never throws), so a
/// loop checks its own token after it. Set may be called from any thread, also after the waiter is gone.
/// </remarks>
public sealed class WakeSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _pending = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _set;

    public void Set()
    {
        TaskCompletionSource? toRelease = null;
        lock (_gate)
        {
            if (!_set)
            {
                _set = true;
                toRelease = _pending;
            }
        }

        toRelease?.TrySetResult();
    }

    /// <summary>Waits for a set, the timeout (system clock) or cancellation; true when it was set.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => WaitAsync(timeout, TimeProvider.System, cancellationToken);

    /// <summary>Waits for a set, the timeout (on <paramref name="time"/>'s clock) or cancellation; true when it was set.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Task waitFor;
        lock (_gate)
        {
            if (_set)
            {
                _set = false;
                _pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return true;
            }

            waitFor = _pending.Task;
        }

        try
        {
            await waitFor.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        lock (_gate)
        {
            if (_set)
            {
                _set = false;
                _pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        return true;
    }
}
