using MediaWorker.Messaging.Mqtt.Native;

namespace MediaWorker.Messaging.Mqtt;

/// <summary>
/// Callers waiting for the broker's PUBACK of a QoS 1 message, keyed by message id. The publish
/// and the registration happen under one lock that the acknowledgement callback also takes, so a
/// PUBACK that arrives before <c>mosquitto_publish</c> returns still finds its waiter.
/// </summary>
internal sealed class AcknowledgementWaiters
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, TaskCompletionSource> _waiters = [];

    /// <summary>Publishes through <paramref name="publish"/> and waits for its acknowledgement.</summary>
    /// <returns>The publish result, and a task that is true once acknowledged, false when cancelled.</returns>
    public (MosquittoResult Result, Task<bool> Acknowledged) PublishAndWait(Func<(MosquittoResult Result, int MessageId)> publish, CancellationToken cancellationToken)
    {
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int messageId;
        lock (_gate)
        {
            (var result, messageId) = publish();
            if (!result.IsSuccess)
            {
                return (result, Task.FromResult(false));
            }

            _waiters[messageId] = acknowledged;
        }

        return (MosquittoResult.Success, WaitAsync(acknowledged.Task, messageId, cancellationToken));
    }

    public void Acknowledge(int messageId)
    {
        lock (_gate)
        {
            if (_waiters.Remove(messageId, out var waiter))
            {
                waiter.TrySetResult();
            }
        }
    }

    private async Task<bool> WaitAsync(Task acknowledged, int messageId, CancellationToken cancellationToken)
    {
        try
        {
            await acknowledged.WaitAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(messageId);
            }
        }
    }
}
