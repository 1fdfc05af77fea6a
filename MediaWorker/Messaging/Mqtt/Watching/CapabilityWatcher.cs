using MediaWorker.Configuration;
using MediaWorker.Messaging.Mqtt.Native;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Messaging.Mqtt.Watching;

/// <summary>
/// Subscribes to <c>$CAPABILITY_TOPIC_PREFIX/+</c> (again after every reconnect) and keeps a
/// <see cref="WorkerDirectory"/> up to date. Knows when the retained state has fully arrived.
/// </summary>
/// <remarks>
/// How "fully arrived" is known: right after the capability filter we subscribe to a topic nobody
/// uses. The broker handles SUBSCRIBE packets in order and queues a subscription's retained
/// messages before it answers the next one, so the second SUBACK comes after every retained
/// message (subscribing at QoS 0 keeps them out of the in-flight window, which could delay them).
/// </remarks>
internal sealed class CapabilityWatcher : IDisposable
{
    private readonly MqttConnection _connection;
    private readonly string _prefix;
    private readonly TaskCompletionSource _synchronised = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile int _barrierMessageId = -1;
    private long _lastMessageTicks;

    public CapabilityWatcher(BroadcastSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _prefix = settings.CapabilityTopicPrefix;
        Directory = new WorkerDirectory(settings.HeartbeatInterval);
        var clientId = $"mediaworker-workers-{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}";
        _connection = new MqttConnection(MqttConnectionOptions.From(settings, clientId, willTopic: null), logger);
        _connection.Connected += _ => Subscribe();
        _connection.MessageReceived += OnMessage;
        _connection.SubscribeAcknowledged += messageId =>
        {
            if (messageId == _barrierMessageId)
            {
                _synchronised.TrySetResult();
            }
        };
    }

    public WorkerDirectory Directory { get; }

    /// <summary>Raised on the network thread after a message changed the directory.</summary>
    public event Action? Changed;

    public string Endpoint => _connection.Options.Endpoint;

    public bool IsConnected => _connection.IsConnected;

    /// <summary>Why the broker could not be reached, when it could not.</summary>
    public string? LastFailure => _connection.LastFailure;

    /// <summary>The capability filter, <c>$CAPABILITY_TOPIC_PREFIX/+</c>.</summary>
    public string Filter => _prefix + "/+";

    public void Start() => _connection.Start();

    /// <summary>
    /// Waits until the retained state of the first connection is in <see cref="Directory"/>
    /// (plus a short quiet spell, for brokers that deliver retained messages lazily); false when cancelled first.
    /// </summary>
    public async Task<bool> WaitForRetainedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _synchronised.Task.WaitAsync(cancellationToken);
            var quiet = TimeSpan.FromMilliseconds(150);
            var limit = DateTime.UtcNow + TimeSpan.FromSeconds(2);
            while (DateTime.UtcNow < limit && TimeSpan.FromTicks(DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastMessageTicks)) < quiet)
            {
                await Task.Delay(50, cancellationToken);
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => _connection.StopAsync(gracefully: true, cancellationToken);

    public void Dispose() => _connection.Dispose();

    private void Subscribe()
    {
        // Runs on the network thread inside the CONNACK callback: the library queues both packets in order.
        MosquittoErrors.ThrowIfFailed(_connection.Subscribe(Filter, 0, out _), $"subscribe to '{Filter}'");
        var barrier = $"{_prefix}/.mediaworker-sync/{Guid.NewGuid():N}";
        MosquittoErrors.ThrowIfFailed(_connection.Subscribe(barrier, 0, out var barrierId), $"subscribe to '{barrier}'");
        _barrierMessageId = barrierId;
    }

    private void OnMessage(ReceivedMessage message)
    {
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
