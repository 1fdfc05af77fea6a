using System.Diagnostics;
using MediaWorker.Messaging.Mqtt.Native;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Messaging.Mqtt;

/// <summary>
/// One broker link kept alive by a dedicated thread: connect, run libmosquitto's loop, and on any
/// failure reconnect with capped exponential backoff, forever, until stopped.
/// </summary>
/// <remarks>
/// libmosquitto's own <c>mosquitto_loop_start</c> thread gives up for good on TLS, DNS and
/// authentication errors and only backs off in whole seconds; a worker must keep trying through
/// all of them (a broker restarting with a new certificate, a DNS blip), so the loop is ours.
/// Publishing is thread-safe (threaded mode): any thread may call <see cref="Publish"/>.
/// Events are raised on the network thread and must return quickly.
/// </remarks>
internal sealed class MqttConnection : IDisposable
{
    /// <summary>Longest wait inside one loop round; publishes from other threads wake it sooner.</summary>
    private const int LoopTimeoutMs = 1000;

    private readonly MqttConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly MosquittoClient _client;
    private readonly ConnectionStateLog _stateLog;
    private readonly ReconnectBackoff _backoff;
    private readonly SemaphoreSlim _retrySignal = new(0, 1);
    private readonly Lock _gate = new();
    private readonly AcknowledgementWaiters _acknowledgements = new();
    private readonly TaskCompletionSource _threadEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _connectedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private volatile bool _stopping;
    private volatile bool _abandon;
    private volatile bool _connected;
    private volatile int _connackCode;
    private volatile string? _lastLibraryError;
    private long _generation;
    private int _goodbyeSent;
    private long _connectedAtTicks;

    /// <exception cref="MosquittoException">libmosquitto is missing, or the will, credentials or CA file cannot be set.</exception>
    public MqttConnection(MqttConnectionOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _stateLog = new ConnectionStateLog(logger, options);
        _backoff = new ReconnectBackoff(options.ReconnectDelayMin, options.ReconnectDelayMax);
        _client = new MosquittoClient(options.ClientId);
        try
        {
            if (options.WillTopic is not null)
            {
                // Sent inside CONNECT: set once here, before the first connect, and kept for every reconnect.
                _client.SetWill(options.WillTopic, [], qos: 1, retain: true);
            }

            if (options.Username is not null || options.Password is not null)
            {
                _client.SetCredentials(options.Username, options.Password);
            }

            if (options.UseTls)
            {
                _client.UseTls(options.CaFile);
            }
        }
        catch
        {
            _client.Dispose();
            throw;
        }

        _client.ConnackReceived = OnConnack;
        _client.Disconnected = OnDisconnected;
        _client.PublishAcknowledged = OnPublishAcknowledged;
        _client.MessageReceived = m => MessageReceived?.Invoke(m);
        _client.SubscribeAcknowledged = mid => SubscribeAcknowledged?.Invoke(mid);
        _client.LogReceived = OnLibraryLog;
        _client.CallbackFailed = ex => _logger.LogError(ex, "An MQTT event handler for {Endpoint} failed.", _options.Endpoint);
    }

    /// <summary>The broker accepted a connection; the argument is its generation (1, 2, ...).</summary>
    public event Action<long>? Connected;

    /// <summary>An accepted connection closed without being asked to.</summary>
    public event Action? ConnectionLost;

    public event Action<ReceivedMessage>? MessageReceived;

    public event Action<int>? SubscribeAcknowledged;

    public bool IsConnected => _connected;

    /// <summary>How many times the broker has accepted this connection.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public MqttConnectionOptions Options => _options;

    /// <summary>Why the last attempt or connection ended (null before any failure), for one-shot callers to report.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>The socket's descriptor while connected, else -1 (tests cut the link through it).</summary>
    internal int SocketDescriptor => _client.SocketDescriptor;

    /// <summary>Starts the network thread; returns at once. The first attempt is made immediately.</summary>
    public void Start()
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("The MQTT connection was already started; a connection runs one network thread.");
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "mqtt-network" };
        _thread.Start();
    }

    /// <summary>Queues a message; QoS 1 messages survive a reconnect inside libmosquitto.</summary>
    public MosquittoResult Publish(string topic, ReadOnlySpan<byte> payload, int qos, bool retain) =>
        _client.Publish(topic, payload, qos, retain, out _);

    /// <summary>Publishes at QoS 1 and waits for the broker's PUBACK; false when cancelled or not accepted.</summary>
    public async Task<bool> PublishAndWaitAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var (result, acknowledged) = _acknowledgements.PublishAndWait(
            () => (_client.Publish(topic, payload, 1, retain, out var messageId), messageId),
            cancellationToken);
        if (!result.IsSuccess)
        {
            _logger.LogDebug("MQTT publish to {Topic} was not accepted: {Reason}.", topic, result.Message);
        }

        return await acknowledged;
    }

    /// <summary>Subscribes; the SUBACK arrives through <see cref="SubscribeAcknowledged"/> with <paramref name="messageId"/>.</summary>
    public MosquittoResult Subscribe(string filter, int qos, out int messageId) => _client.Subscribe(filter, qos, out messageId);

    /// <summary>Waits until the broker has accepted the connection; false when cancelled first.</summary>
    public async Task<bool> WaitConnectedAsync(CancellationToken cancellationToken)
    {
        while (!_connected)
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
                return _connected;
            }
        }

        return true;
    }

    /// <summary>Cuts the current backoff wait short: the next attempt starts now.</summary>
    public void RetryNow()
    {
        lock (_gate)
        {
            if (_retrySignal.CurrentCount == 0)
            {
                _retrySignal.Release();
            }
        }
    }

    /// <summary>
    /// Ends the link and waits, bounded by <paramref name="cancellationToken"/>, for the network
    /// thread to finish. Gracefully: DISCONNECT, so the broker discards the will. Otherwise the
    /// socket is just closed (on dispose), so the broker publishes the will.
    /// </summary>
    public async Task StopAsync(bool gracefully, CancellationToken cancellationToken)
    {
        _abandon = !gracefully;
        _stopping = true;
        if (gracefully && _connected)
        {
            SayGoodbyeOnce(); // also wakes the loop at once, through the library's internal socket pair
        }

        RetryNow();
        if (_thread is null)
        {
            return;
        }

        try
        {
            await _threadEnded.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Most likely blocked inside a connect (a DNS or TCP timeout). The SafeHandle keeps the
            // native client alive until that call returns; then the thread sees _stopping and ends.
            _logger.LogDebug("MQTT network thread for {Endpoint} has not ended yet; leaving it to finish on its own.", _options.Endpoint);
        }
    }

    /// <summary>Stops the thread (without DISCONNECT if it still runs) and destroys the native client.</summary>
    public void Dispose()
    {
        _abandon = true;
        _stopping = true;
        RetryNow();
        if (_thread is { IsAlive: true } thread && !thread.Join(TimeSpan.FromSeconds(2)))
        {
            _logger.LogDebug("MQTT network thread for {Endpoint} did not end within 2 s of dispose.", _options.Endpoint);
        }

        _client.Dispose();
    }

    private void Run()
    {
        try
        {
            while (!_stopping)
            {
                _connackCode = -1;
                _lastLibraryError = null;
                var result = _client.Connect(_options.Host, _options.Port, (int)_options.KeepAlive.TotalSeconds);
                if (result.IsSuccess)
                {
                    result = RunUntilClosed();
                }

                if (_stopping)
                {
                    break;
                }

                ReportClosed(result);
                _ = _retrySignal.Wait(_backoff.Next());
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed while a blocking connect was in progress: nothing left to do.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The MQTT network thread for {Endpoint} failed; nothing more is published until restart.", _options.Endpoint);
        }
        finally
        {
            _connected = false;
            _threadEnded.TrySetResult();
        }
    }

    /// <summary>Runs loop rounds until the link closes, or until a stop is due; returns why it ended.</summary>
    private MosquittoResult RunUntilClosed()
    {
        while (true)
        {
            if (_stopping)
            {
                // Abandoned, or never accepted: no goodbye, the socket is closed on dispose.
                if (_abandon || !_connected)
                {
                    return MosquittoResult.Success;
                }

                // Accepted while the stop was being requested: the loop says goodbye itself.
                SayGoodbyeOnce();
            }

            var result = _client.Loop(LoopTimeoutMs);
            if (!result.IsSuccess)
            {
                return result;
            }
        }
    }

    /// <summary>DISCONNECT, at most once: the broker then discards the will.</summary>
    private void SayGoodbyeOnce()
    {
        if (Interlocked.Exchange(ref _goodbyeSent, 1) == 0)
        {
            _ = _client.Disconnect();
        }
    }

    private void ReportClosed(MosquittoResult result)
    {
        var reason = _lastLibraryError is { } detail && result.Code is MosquittoErrorCode.Tls or MosquittoErrorCode.TlsHandshake
            ? $"{result.Message}: {detail}"
            : result.Message;
        LastFailure = _connackCode > 0 ? MosquittoErrors.DescribeConnack(_connackCode) : reason;
        var connectedAt = Interlocked.Exchange(ref _connectedAtTicks, 0);
        if (connectedAt != 0)
        {
            // A connection that held for a full backoff cap earns a fresh, short first retry;
            // one that flaps (a duplicate client id kicking us off) keeps backing off.
            if (Stopwatch.GetElapsedTime(connectedAt) >= _options.ReconnectDelayMax)
            {
                _backoff.Reset();
            }

            _stateLog.Lost(reason);
        }
        else if (_connackCode > 0)
        {
            _stateLog.Refused(_connackCode, MosquittoErrors.DescribeConnack(_connackCode));
        }
        else
        {
            _stateLog.Unreachable(reason);
        }
    }

    private void OnConnack(int code)
    {
        _connackCode = code;
        if (code != 0)
        {
            return;
        }

        _backoff.Reset();
        Interlocked.Exchange(ref _connectedAtTicks, Stopwatch.GetTimestamp());
        var generation = Interlocked.Increment(ref _generation);
        _connected = true;
        _stateLog.Connected();
        lock (_gate)
        {
            _connectedSignal.TrySetResult();
        }

        Connected?.Invoke(generation);
    }

    private void OnDisconnected(int code)
    {
        var wasConnected = _connected;
        _connected = false;
        lock (_gate)
        {
            if (_connectedSignal.Task.IsCompleted)
            {
                _connectedSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        if (wasConnected && !_stopping)
        {
            ConnectionLost?.Invoke();
        }
    }

    private void OnPublishAcknowledged(int messageId) => _acknowledgements.Acknowledge(messageId);

    private void OnLibraryLog(MosquittoLogLevel level, string line)
    {
        if (level.HasFlag(MosquittoLogLevel.Err))
        {
            // OpenSSL's reason ("certificate verify failed") only reaches us through the log callback.
            _lastLibraryError = line;
        }

        _logger.LogTrace("libmosquitto: {Line}", line);
    }
}
