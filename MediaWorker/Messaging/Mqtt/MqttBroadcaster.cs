using System.Diagnostics;
using MediaWorker.Concurrency;
using MediaWorker.Configuration;
using MediaWorker.Messaging.Mqtt.Link;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Messaging.Mqtt;

/// <summary>
/// <c>BROADCAST_TYPE=mqtt</c>: the retained capability message with its heartbeat and last will,
/// and job events, over MQTTnet (SPEC 7).
/// </summary>
/// <remarks>
/// One pump loop (this hosted service's <see cref="ExecuteAsync"/>) publishes everything, so messages leave in the order their causes happened.
/// Presence changes are coalesced: the first change after a quiet spell goes out at once, later
/// ones at most every <see cref="ChangeInterval"/>, and a change that is undone before it is sent
/// sends nothing. Every publish is QoS 1 and counts only once the broker acknowledged it: the
/// capability message is awaited, job events stay in a <see cref="JobEventOutbox"/> until their
/// PUBACK and are sent again, in order, after a reconnect. A broker that is down or refuses us
/// never blocks a caller: job events wait in memory (the oldest are dropped past
/// <see cref="EventBufferCapacity"/>) and the capability is republished, with a new
/// <c>session</c>, on every reconnect.
/// </remarks>
/// <threadsafety>Every member may be called from any thread.</threadsafety>
public sealed partial class MqttBroadcaster : BackgroundService, IWorkerBroadcaster
{
    /// <summary>Job events kept, unsent or unacknowledged, while the broker is unreachable.</summary>
    public const int EventBufferCapacity = 10_000;

    private const int NotStarted = 0;
    private const int Running = 1;
    private const int Stopped = 2;

    private readonly BroadcastSettings _settings;
    private readonly string _serverDirectory;
    private readonly ILogger _logger;
    private readonly WakeSignal _wake = new();
    private readonly JobEventOutbox _events = new(EventBufferCapacity);
    private readonly WorkerIdentity _identity;
    private MqttConnection? _connection;
    private SessionCounter? _sessions;
    private string _topic = string.Empty;
    private WorkerSnapshot? _latest;
    private long _latestVersion;
    private int _dropWarned;
    private int _windowFull;
    private int _state;

    // Owned by whoever publishes: the pump while running, StopAsync after the pump has ended.
    private long _announcedGeneration;
    private long _session;
    private long _seq;
    private long _publishedVersion = -1;
    private long _differentVersion = -1;
    private string? _publishedContent;
    private bool _publishedDraining;
    private long _lastCapabilityAt;
    private long _lastChangeAt;

    public MqttBroadcaster(BroadcastSettings settings, string serverDirectory, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _settings = settings;
        _serverDirectory = serverDirectory;
        _logger = loggerFactory.CreateLogger("MediaWorker.Mqtt");
        _identity = WorkerIdentity.ForThisProcess(settings.HeartbeatInterval);
    }

    /// <summary>Shortest spacing of two capability messages caused by changes (heartbeats and reconnects are not delayed).</summary>
    public TimeSpan ChangeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound for <see cref="StopAsync"/> to clear the retained message and see its acknowledgement.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The retained topic, known once started.</summary>
    public string CapabilityTopic => _topic;

    /// <summary>The broker link (tests cut it to exercise the will).</summary>
    internal MqttConnection? Connection => _connection;

    /// <summary>Job events not yet acknowledged by the broker.</summary>
    internal int PendingEvents => _events.Count;

    /// <summary>
    /// Starts connecting (the will in every CONNECT) and the pump in the background and returns at
    /// once; a broker that is down is retried with backoff for as long as the worker runs.
    /// </summary>
    /// <exception cref="InvalidOperationException">MQTT_CA_FILE holds no usable certificate, or <see cref="UpdatePresence"/> was not called first.</exception>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var initial = Volatile.Read(ref _latest)
            ?? throw new InvalidOperationException("Give the MQTT broadcaster the worker's state (UpdatePresence) before starting it.");
        if (Interlocked.CompareExchange(ref _state, Running, NotStarted) != NotStarted)
        {
            throw new InvalidOperationException("The MQTT broadcaster was already started; create one per worker run.");
        }

        _topic = _settings.CapabilityTopic(initial.WorkerId);
        _sessions = new SessionCounter(SessionCounter.PathFor(_serverDirectory, initial.WorkerId), _logger);
        try
        {
            _connection = new MqttConnection(MqttConnectionOptions.From(_settings, _settings.ClientId, willTopic: _topic) with { Consequence = " Jobs keep running." }, _logger);
        }
        catch
        {
            Volatile.Write(ref _state, Stopped); // nothing to stop: dispose stays safe
            throw;
        }

        _connection.Connected += _ => _wake.Set();
        _connection.ConnectionLost += _wake.Set;
        _connection.Start();
        _logger.LogDebug("MQTT presence for {WorkerId} on {Topic}, job events on {EventTopic}, heartbeat every {Heartbeat} s.", initial.WorkerId, _topic, _settings.EventTopic, _settings.HeartbeatInterval.TotalSeconds);
        return base.StartAsync(cancellationToken);
    }

    public void UpdatePresence(WorkerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);

        // Snapshot first, version second: the pump reads them in the opposite order, so it can
        // never mark a version published whose snapshot it did not see.
        Volatile.Write(ref _latest, snapshot);
        Interlocked.Increment(ref _latestVersion);
        _wake.Set();
    }

    public void PublishJobEvent(JobEvent jobEvent)
    {
        ArgumentNullException.ThrowIfNull(jobEvent);
        if (Volatile.Read(ref _state) == Stopped)
        {
            return;
        }

        if (_events.Add(JobEventPayload.Serialize(jobEvent)) && Interlocked.Exchange(ref _dropWarned, 1) == 0)
        {
            _logger.LogWarning(
                "MQTT job events are piling up ({Capacity} not acknowledged by the broker); the oldest are dropped from now on until the broker takes them again. Jobs keep running.",
                EventBufferCapacity);
        }

        _wake.Set();
    }

    /// <summary>
    /// Announces <c>draining</c> (if not yet announced), sends what job events are left and waits
    /// for their acknowledgements, publishes the empty retained payload and waits for its PUBACK,
    /// then sends a normal DISCONNECT. All of it is bounded
    /// by <see cref="StopTimeout"/> and <paramref name="cancellationToken"/>. When the clearing
    /// cannot be confirmed, the link is dropped without DISCONNECT so the broker's will clears it.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, Stopped) != Running)
        {
            return;
        }

        // The pump must have ended before this publishes: unbounded, it ends at once when cancelled.
        await base.StopAsync(CancellationToken.None);
        var connection = _connection!;
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(StopTimeout);

        if (!connection.IsConnected && connection.Generation > 0)
        {
            // We announced ourselves before: reconnect now rather than after the backoff, to clear it.
            connection.RetryNow();
            await connection.WaitConnectedAsync(bound.Token);
        }

        var cleared = false;
        if (connection.IsConnected)
        {
            await AnnounceNewConnectionAsync(connection, bound.Token);
            await DrainEventsAsync(connection, bound.Token);
            if (!_publishedDraining)
            {
                await PublishCapabilityAsync(connection, Volatile.Read(ref _latest)! with { Draining = true }, Interlocked.Read(ref _latestVersion), bound.Token);
            }

            cleared = await connection.PublishAsync(_topic, [], retain: true, bound.Token) == PublishOutcome.Acknowledged;
        }

        if (cleared)
        {
            _logger.LogInformation("MQTT presence cleared from {Topic}.", _topic);

            // The goodbye gets its own short bound: sent after a late PUBACK, it still keeps the will from firing.
            using var goodbye = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            goodbye.CancelAfter(TimeSpan.FromSeconds(1));
            await connection.StopAsync(gracefully: true, goodbye.Token);
        }
        else
        {
            if (connection.Generation > 0)
            {
                _logger.LogWarning(
                    "MQTT presence on {Topic} could not be cleared within {Timeout:0.#} s; dropping the link without DISCONNECT so the broker's will clears it.",
                    _topic,
                    StopTimeout.TotalSeconds);
            }

            await connection.StopAsync(gracefully: false, bound.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _state) == Running)
        {
            await StopAsync(CancellationToken.None);
        }

        Volatile.Write(ref _state, Stopped);
        _connection?.Dispose();
        Dispose();
    }

    /// <summary>The pump: publishes what is due, then sleeps until woken or the next heartbeat.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the starter's thread: StartAsync returns at once.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await PublishWhatIsDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A bug here must not end presence for the rest of the run; try again shortly.
                _logger.LogError(ex, "MQTT publishing failed unexpectedly; retrying in 1 s.");
                wait = TimeSpan.FromSeconds(1);
            }

            await _wake.WaitAsync(wait, stoppingToken);
        }
    }

    /// <summary>One pass of the pump; returns how long it may sleep before something falls due.</summary>
    /// <remarks>
    /// Changes are spaced by <see cref="ChangeInterval"/> counted from the last change that was
    /// sent (a heartbeat in between does not delay the next change); heartbeats are due
    /// <c>MQTT_HEARTBEAT_INTERVAL</c> after the last capability message of any kind.
    /// </remarks>
    private async Task<TimeSpan> PublishWhatIsDueAsync(CancellationToken stopping)
    {
        var connection = _connection!;
        if (!connection.IsConnected)
        {
            return Timeout.InfiniteTimeSpan; // the Connected event wakes us
        }

        await AnnounceNewConnectionAsync(connection, stopping);
        PublishBufferedEvents(connection);

        var wait = Timeout.InfiniteTimeSpan;
        var version = Interlocked.Read(ref _latestVersion);
        if (version != _publishedVersion)
        {
            var snapshot = Volatile.Read(ref _latest)!;
            var sinceChange = Stopwatch.GetElapsedTime(_lastChangeAt);
            // A burst wakes the pump often: compare the content once per version, not once per pass.
            if (version != _differentVersion && CapabilityPayload.Content(snapshot) == _publishedContent)
            {
                _publishedVersion = version;
            }
            else
            {
                _differentVersion = version;
                if (sinceChange < ChangeInterval)
                {
                    wait = ChangeInterval - sinceChange;
                }
                else if (await PublishCapabilityAsync(connection, snapshot, version, stopping))
                {
                    _lastChangeAt = _lastCapabilityAt;
                }
            }
        }

        var sinceLast = Stopwatch.GetElapsedTime(_lastCapabilityAt);
        if (sinceLast >= _settings.HeartbeatInterval)
        {
            await PublishCapabilityAsync(connection, Volatile.Read(ref _latest)!, version, stopping);
            sinceLast = TimeSpan.Zero;
        }

        var untilHeartbeat = _settings.HeartbeatInterval - sinceLast;
        return wait == Timeout.InfiniteTimeSpan || untilHeartbeat < wait ? untilHeartbeat : wait;
    }

    /// <summary>
    /// On a connection not yet announced: next session number, the capability at once (before any
    /// job event), and every job event still unacknowledged queued again, oldest first.
    /// </summary>
    private async Task AnnounceNewConnectionAsync(MqttConnection connection, CancellationToken cancellationToken)
    {
        var generation = connection.Generation;
        if (generation == _announcedGeneration)
        {
            return;
        }

        _announcedGeneration = generation;
        _session = _sessions!.Next();
        _events.Rewind();
        var version = Interlocked.Read(ref _latestVersion);
        if (await PublishCapabilityAsync(connection, Volatile.Read(ref _latest)!, version, cancellationToken))
        {
            _lastChangeAt = _lastCapabilityAt;
        }

        var dropped = _events.TakeDropped();
        if (dropped > 0)
        {
            Volatile.Write(ref _dropWarned, 0);
            _logger.LogInformation("MQTT is back: {Dropped} job events were dropped while the broker was unreachable (only the newest {Capacity} are kept); the rest follow in order.", dropped, EventBufferCapacity);
        }
    }

    /// <summary>Publishes a capability message and waits for the broker's PUBACK; false when it did not come.</summary>
    private async Task<bool> PublishCapabilityAsync(MqttConnection connection, WorkerSnapshot snapshot, long version, CancellationToken cancellationToken)
    {
        var stamp = new CapabilityStamp(_session, ++_seq, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var outcome = await connection.PublishAsync(_topic, CapabilityPayload.Serialize(snapshot, stamp, _identity), retain: true, cancellationToken);
        if (outcome != PublishOutcome.Acknowledged)
        {
            // The link dropped under us; the reconnect republishes the latest state.
            _logger.LogDebug("MQTT capability message {Seq} was not acknowledged ({Outcome}).", stamp.Seq, outcome);
            return false;
        }

        _publishedVersion = version;
        _publishedContent = CapabilityPayload.Content(snapshot);
        _publishedDraining = snapshot.Draining;
        _lastCapabilityAt = Stopwatch.GetTimestamp();
        _logger.LogTrace("MQTT capability message session {Session} seq {Seq}: {Status}, {Idle} of {Max} slots free.", stamp.Session, stamp.Seq, snapshot.Status, snapshot.IdleCount, snapshot.MaxConcurrency);
        return true;
    }
}
