using System.Text;
using MediaWorker.Configuration;
using MediaWorker.Messaging.Mqtt.Link;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Messaging.Mqtt.Watching;

/// <summary>
/// Subscribes to <c>$CAPABILITY_TOPIC_PREFIX/+</c> (again after every reconnect) and keeps a
/// <see cref="WorkerDirectory"/> up to date. Knows when the retained state has fully arrived.
/// </summary>
/// <remarks>
/// How "fully arrived" is known: after the capability filter we subscribe to a sentinel topic of
/// our own and publish one message to it. The broker queues a subscription's retained messages
/// before it answers the SUBSCRIBE, and forwards our sentinel after that, on the same link; MQTTnet
/// hands messages to us in arrival order on its own delivery queue. So when the sentinel comes
/// back, every retained message is in the directory. The SUBACK alone says nothing about that
/// queue: with it, a probe saw 0 of 40 retained messages.
/// </remarks>
internal sealed class CapabilityWatcher : IDisposable
{
    /// <summary>How long to wait for our sentinel once the broker acknowledged it, before trusting a quiet spell instead (a broker ACL may drop it).</summary>
    private static readonly TimeSpan SentinelPatience = TimeSpan.FromSeconds(2);

    private readonly MqttConnection _connection;
    private readonly ILogger _logger;
    private readonly string _prefix;
    private readonly string _sentinelTopic;
    private readonly TaskCompletionSource _synchronised = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private long _lastMessageTicks;

    public CapabilityWatcher(BroadcastSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _logger = logger;
        _prefix = settings.CapabilityTopicPrefix;
        Directory = new WorkerDirectory(settings.HeartbeatInterval);
        var clientId = $"mediaworker-workers-{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}";
        _sentinelTopic = $"mediaworker/workers-sync/{clientId}";
        _connection = new MqttConnection(MqttConnectionOptions.From(settings, clientId, willTopic: null), logger);
        _connection.Connected += _ => SubscribeInBackground();
        _connection.MessageReceived += OnMessage;
    }

    public WorkerDirectory Directory { get; }

    /// <summary>Raised on MQTTnet's delivery queue after a message changed the directory.</summary>
    public event Action? Changed;

    public string Endpoint => _connection.Options.Endpoint;

    public bool IsConnected => _connection.IsConnected;

    /// <summary>Why the broker could not be reached, when it could not.</summary>
    public string? LastFailure => _connection.LastFailure;

    /// <summary>The capability filter, <c>$CAPABILITY_TOPIC_PREFIX/+</c>.</summary>
    public string Filter => _prefix + "/+";

    public void Start() => _connection.Start();

    /// <summary>Waits until the retained state of the first connection is in <see cref="Directory"/>; false when cancelled first.</summary>
    public async Task<bool> WaitForRetainedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _synchronised.Task.WaitAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _connection.StopAsync(gracefully: true, cancellationToken);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _connection.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Runs off the connection's loop: the loop must not wait for our SUBACKs.</summary>
    private void SubscribeInBackground() => _ = Task.Run(() => SubscribeAsync(_stopping.Token), CancellationToken.None);

    private async Task SubscribeAsync(CancellationToken stopping)
    {
        try
        {
            if (!await _connection.SubscribeAsync(Filter, stopping) || !await _connection.SubscribeAsync(_sentinelTopic, stopping))
            {
                return; // the link dropped: the next connection subscribes again
            }

            if (_synchronised.Task.IsCompleted)
            {
                return;
            }

            var sentinel = Encoding.UTF8.GetBytes(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (await _connection.PublishAsync(_sentinelTopic, sentinel, retain: false, stopping) != PublishOutcome.Acknowledged)
            {
                return;
            }

            // Normally the sentinel is back within a millisecond. If the broker drops it (an ACL),
            // fall back to a quiet spell after the last retained message.
            await Task.WhenAny(_synchronised.Task, Task.Delay(SentinelPatience, stopping));
            while (!_synchronised.Task.IsCompleted && TimeSpan.FromTicks(DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastMessageTicks)) < TimeSpan.FromMilliseconds(300))
            {
                await Task.Delay(50, stopping);
            }

            if (_synchronised.TrySetResult())
            {
                _logger.LogDebug("MQTT sentinel on {Topic} did not come back (a broker ACL?); took the retained state after a quiet spell.", _sentinelTopic);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void OnMessage(ReceivedMessage message)
    {
        if (message.Topic == _sentinelTopic)
        {
            _synchronised.TrySetResult();
            return;
        }

        if (!message.Topic.StartsWith(_prefix + "/", StringComparison.Ordinal))
        {
            return;
        }

        var workerId = message.Topic[(_prefix.Length + 1)..];
        if (workerId.Contains('/', StringComparison.Ordinal))
        {
            return;
        }

        Interlocked.Exchange(ref _lastMessageTicks, DateTime.UtcNow.Ticks);
        if (Directory.Apply(workerId, message.Payload, message.Retained, DateTimeOffset.UtcNow))
        {
            Changed?.Invoke();
        }
    }
}
