using MediaWorker.Messaging.Mqtt.Link;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Messaging.Mqtt;

/// <summary>The job-event half of the broadcaster: the in-flight window over the outbox, and the drain at stop.</summary>
public sealed partial class MqttBroadcaster
{
    /// <summary>
    /// Sends job events in order while the connection has room in flight; each one's PUBACK
    /// settles it in the outbox and wakes the pump to send more.
    /// </summary>
    private void PublishBufferedEvents(MqttConnection connection)
    {
        var limit = connection.InFlightLimit;
        while (connection.IsConnected)
        {
            if (_events.InFlight >= limit)
            {
                // Woken again once half the window is acknowledged: not on every PUBACK.
                Volatile.Write(ref _windowFull, 1);
                return;
            }

            if (!_events.TryTakeNext(out var pending))
            {
                return;
            }

            var sent = connection.PublishAsync(_settings.EventTopic, pending.Payload, retain: false, CancellationToken.None);
            _ = sent.ContinueWith(
                (task, state) =>
                {
                    var (broadcaster, item, window) = ((MqttBroadcaster, JobEventOutbox.Pending, int))state!;
                    var (inFlight, left) = broadcaster._events.Settle(item, task.Result != PublishOutcome.NotSent);
                    if (left == 0 || task.Result == PublishOutcome.NotSent
                        || (inFlight <= window / 2 && Interlocked.Exchange(ref broadcaster._windowFull, 0) == 1))
                    {
                        broadcaster._wake.Set();
                    }
                },
                (this, pending, limit),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>Stopping: sends every job event left and waits until the broker acknowledged them all.</summary>
    private async Task DrainEventsAsync(MqttConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            while (_events.Count > 0 && connection.IsConnected)
            {
                PublishBufferedEvents(connection);
                _ = await _wake.WaitAsync(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The stop's bound: what is left is lost with the process, as the log line below says.
        }

        if (_events.Count > 0)
        {
            _logger.LogWarning("MQTT: {Count} job events were not acknowledged by the broker before the stop.", _events.Count);
        }
    }
}
