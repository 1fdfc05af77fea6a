using System.Buffers;
using MediaWorker.Concurrency;
using MediaWorker.Configuration;
using MediaWorker.Plugins.Abstractions;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace MediaWorker.Messaging.Mqtt.Link;

/// <summary>
/// One broker link kept alive by one reconnect loop: connect (with the will, when there is one,
/// in every CONNECT), stay until the link closes, then reconnect with capped exponential backoff
/// and jitter, through every kind of failure, until stopped.
/// </summary>
/// <remarks>
/// MQTTnet 5 has no managed client, and a QoS 1 publish still waiting for its PUBACK fails when the
/// link drops; what to resend is the caller's business (<see cref="PublishAsync"/> says whether the
/// broker acknowledged). Each attempt uses a fresh MQTTnet client, so nothing of a dead link
/// (pending packet ids, its receive tasks) can leak into the next one. Publishing is thread-safe;
/// publishes started from one thread reach the wire in the order they were started.
/// Events are raised on the loop and must return quickly.
/// </remarks>
internal sealed class MqttConnection : IDisposable
{
    /// <summary>QoS 1 publishes one connection keeps in flight when the broker sets no lower Receive Maximum.</summary>
    private const int DefaultInFlightLimit = 256;

    private readonly MqttConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly ConnectionStateLog _stateLog;
    private readonly ExponentialBackoff _backoff;
    private readonly BrokerCertificateCheck? _certificates;
    private readonly MqttClientOptions _clientOptions;
    private readonly MqttClientFactory _factory;
    private readonly WakeSignal _retry = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _connectedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IMqttClient? _client;
    private Task _loop = Task.CompletedTask;
    private volatile bool _stopping;
    private long _generation;
    private int _inFlightLimit = DefaultInFlightLimit;

    // Attempts since the last connection that was accepted; only the reconnect loop touches it.
    private int _failedAttempts;

    /// <exception cref="InvalidOperationException">MQTT_CA_FILE holds no usable certificate.</exception>
    public MqttConnection(MqttConnectionOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _stateLog = new ConnectionStateLog(logger, options);
        _backoff = new ExponentialBackoff(options.ReconnectDelayMin, options.ReconnectDelayMax);
        _certificates = options.UseTls ? new BrokerCertificateCheck(options.Host, options.CaFile) : null;
        _factory = new MqttClientFactory(new MqttNetLogBridge(logger));
        _clientOptions = ClientOptions.Build(_factory, _options, _certificates);
    }

    /// <summary>The broker accepted a connection; the argument is its generation (1, 2, ...).</summary>
    public event Action<long>? Connected;

    /// <summary>An accepted connection closed without being asked to.</summary>
    public event Action? ConnectionLost;

    /// <summary>A message arrived on a subscription (on MQTTnet's delivery queue, in order).</summary>
    public event Action<ReceivedMessage>? MessageReceived;

    public bool IsConnected => Volatile.Read(ref _client) is { IsConnected: true };

    /// <summary>How many times the broker has accepted this connection.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>How many QoS 1 publishes the current connection may have waiting for PUBACK (the broker's Receive Maximum, MQTT 5).</summary>
    public int InFlightLimit => Volatile.Read(ref _inFlightLimit);

    public MqttConnectionOptions Options => _options;

    /// <summary>Why the last attempt or connection ended (null before any failure), for one-shot callers to report.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>Starts the reconnect loop; returns at once. The first attempt is made immediately.</summary>
    public void Start()
    {
        if (!_loop.IsCompleted || _generation > 0 || _stopping)
        {
            throw new InvalidOperationException("The MQTT connection was already started; a connection runs one reconnect loop.");
        }

        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>
    /// Publishes at QoS 1 and waits for the broker's PUBACK. The packet is handed to the link
    /// before this returns its task, so calls made one after another go out in that order.
    /// </summary>
    public Task<PublishOutcome> PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var client = Volatile.Read(ref _client);
        if (client is not { IsConnected: true })
        {
            return Task.FromResult(PublishOutcome.NotSent);
        }

        var message = new MqttApplicationMessage
        {
            Topic = topic,
            Payload = new ReadOnlySequence<byte>(payload),
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            Retain = retain,
        };
        try
        {
            return AwaitAcknowledgementAsync(client.PublishAsync(message, cancellationToken), topic);
        }
        catch (Exception ex) when (IsLinkFailure(ex))
        {
            return Task.FromResult(PublishOutcome.NotSent);
        }
    }

    /// <summary>Subscribes at QoS 0 and waits for the SUBACK; false when the link failed first.</summary>
    public async Task<bool> SubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        var client = Volatile.Read(ref _client);
        if (client is not { IsConnected: true })
        {
            return false;
        }

        try
        {
            var options = _factory.CreateSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtMostOnce).Build();
            var result = await client.SubscribeAsync(options, cancellationToken);
            var code = result.Items.Single().ResultCode;
            if (code > MqttClientSubscribeResultCode.GrantedQoS2)
            {
                _logger.LogWarning("MQTT broker {Endpoint} refused the subscription to {Filter} ({Code}).", _options.Endpoint, filter, code);
                return false;
            }

            return true;
        }
        catch (Exception ex) when (IsLinkFailure(ex))
        {
            return false;
        }
    }

    /// <summary>Waits until the broker has accepted the connection; false when cancelled first.</summary>
    public async Task<bool> WaitConnectedAsync(CancellationToken cancellationToken)
    {
        while (!IsConnected)
        {
            Task signal;
            lock (_gate)
            {
                signal = _connectedSignal.Task;
            }

            try
            {
                await signal.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return IsConnected;
            }
        }

        return true;
    }

    /// <summary>Cuts the current backoff wait short: the next attempt starts now.</summary>
    public void RetryNow() => _retry.Set();

    /// <summary>
    /// Ends the link and the loop, bounded by <paramref name="cancellationToken"/>. Gracefully: a
    /// normal DISCONNECT, so the broker discards the will. Otherwise the socket is just closed, so
    /// the broker publishes the will.
    /// </summary>
    public async Task StopAsync(bool gracefully, CancellationToken cancellationToken)
    {
        _stopping = true;
        var client = Volatile.Read(ref _client);
        if (gracefully && client is { IsConnected: true })
        {
            try
            {
                var goodbye = _factory.CreateClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build();
                await client.DisconnectAsync(goodbye, cancellationToken);
            }
            catch (Exception ex) when (IsLinkFailure(ex))
            {
                _logger.LogDebug("MQTT DISCONNECT to {Endpoint} could not be sent: {Reason}.", _options.Endpoint, ex.Message);
            }
        }

        await _stop.CancelAsync();
        Volatile.Read(ref _client)?.Dispose();
        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _logger.LogDebug("MQTT reconnect loop for {Endpoint} has not ended yet; leaving it to finish on its own.", _options.Endpoint);
        }
    }

    /// <summary>Stops the loop without DISCONNECT if it still runs (the broker fires the will).</summary>
    public void Dispose()
    {
        _stopping = true;
        _stop.Cancel();
        Volatile.Read(ref _client)?.Dispose();
        if (!_loop.Wait(TimeSpan.FromSeconds(2)))
        {
            _logger.LogDebug("MQTT reconnect loop for {Endpoint} did not end within 2 s of dispose.", _options.Endpoint);
        }
    }

    private static bool IsLinkFailure(Exception exception) =>
        exception is MqttCommunicationException or ObjectDisposedException or OperationCanceledException or InvalidOperationException;

    private async Task<PublishOutcome> AwaitAcknowledgementAsync(Task<MqttClientPublishResult> publish, string topic)
    {
        try
        {
            var result = await publish;
            if (result.IsSuccess)
            {
                return PublishOutcome.Acknowledged;
            }

            _logger.LogWarning("MQTT broker {Endpoint} refused a message on {Topic}: {Code} {Reason}.", _options.Endpoint, topic, result.ReasonCode, result.ReasonString);
            return PublishOutcome.Refused;
        }
        catch (Exception ex) when (IsLinkFailure(ex))
        {
            return PublishOutcome.NotSent;
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await AttemptAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // A bug here must not end presence for the rest of the run.
                _logger.LogError(ex, "The MQTT connection loop for {Endpoint} failed unexpectedly; retrying.", _options.Endpoint);
            }

            if (stopping.IsCancellationRequested)
            {
                break;
            }

            await _retry.WaitAsync(_backoff.Delay(++_failedAttempts), stopping);
        }
    }

    /// <summary>One attempt: connect, and when accepted stay until the link closes; logs the outcome.</summary>
    private async Task AttemptAsync(CancellationToken stopping)
    {
        var channels = new KeepAliveChannelFactory(_options.KeepAlive);
        using var client = _factory.CreateMqttClient(channels);
        var closed = new TaskCompletionSource<MqttClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected)
            {
                closed.TrySetResult(e);
            }

            return Task.CompletedTask;
        };
        client.ApplicationMessageReceivedAsync += e =>
        {
            var message = e.ApplicationMessage;
            MessageReceived?.Invoke(new ReceivedMessage(message.Topic, message.Payload.ToArray(), message.Retain));
            return Task.CompletedTask;
        };

        _certificates?.Reset();
        MqttClientConnectResult result;
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            attempt.CancelAfter(_options.ConnectTimeout);
            result = await client.ConnectAsync(_clientOptions, attempt.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            LastFailure = $"no answer within {_options.ConnectTimeout.TotalSeconds:0.#} s";
            _stateLog.Unreachable(LastFailure, tls: false);
            return;
        }
        catch (Exception ex)
        {
            LastFailure = ConnectFailure.Describe(ex, _certificates);
            _stateLog.Unreachable(LastFailure, ConnectFailure.IsTls(ex));
            return;
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            LastFailure = ConnectFailure.DescribeRefusal(result);
            _stateLog.Refused(result.ResultCode, LastFailure);
            return;
        }

        await StayConnectedAsync(client, channels.Current!, result, closed.Task, stopping);
    }

    private async Task StayConnectedAsync(IMqttClient client, KeepAliveChannel channel, MqttClientConnectResult result, Task<MqttClientDisconnectedEventArgs> closed, CancellationToken stopping)
    {
        _failedAttempts = 0;
        Volatile.Write(ref _inFlightLimit, result.ReceiveMaximum is > 0 and var maximum ? Math.Min((int)maximum, DefaultInFlightLimit) : DefaultInFlightLimit);
        // Generation first: whoever sees the link up also sees that it is a new one.
        var generation = Interlocked.Increment(ref _generation);
        Volatile.Write(ref _client, client);
        _stateLog.Connected();
        lock (_gate)
        {
            _connectedSignal.TrySetResult();
        }

        Connected?.Invoke(generation);

        string lost;
        using var pinging = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var silent = KeepAliveChannel.PingUntilDeadAsync(client, channel, pinging.Token);
        try
        {
            // A dead link ends with the client disposed by our caller: no DISCONNECT, so the will fires.
            lost = await Task.WhenAny(closed, silent).WaitAsync(stopping) == silent
                ? await silent
                : ConnectFailure.DescribeLoss(await closed);
        }
        finally
        {
            await pinging.CancelAsync();
            await silent.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            Volatile.Write(ref _client, null);
            lock (_gate)
            {
                if (_connectedSignal.Task.IsCompleted)
                {
                    _connectedSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }

        if (_stopping)
        {
            return; // our own DISCONNECT
        }

        ConnectionLost?.Invoke();
        LastFailure = lost;
        _stateLog.Lost(LastFailure);
    }
}
