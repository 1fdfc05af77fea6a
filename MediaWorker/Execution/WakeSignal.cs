namespace MediaWorker.Execution;

/// <summary>
/// An async auto-reset signal: <see cref="Set"/> wakes the one waiter (or the next one to wait).
/// Many sets before a wait collapse into one wake-up, which is what the claim loop wants.
/// </summary>
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
