namespace MediaWorker.Messaging.Mqtt;

/// <summary>
/// Job events the broker has not acknowledged yet, oldest first: waiting to be sent, or sent and
/// waiting for their PUBACK. An event leaves only when the broker acknowledged it; when a link
/// drops, everything still here is sent again, in order, on the next connection
/// (<see cref="Rewind"/>), so nothing is lost and nothing is reordered beyond QoS 1's duplicates.
/// </summary>
/// <remarks>
/// Bounded by <see cref="Capacity"/>: past it the oldest event is dropped, so a long outage costs
/// memory for the newest events only. Thread-safe: job threads add, the pump sends, MQTTnet's
/// threads settle.
/// </remarks>
internal sealed class JobEventOutbox
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Pending> _pending = new();
    private LinkedListNode<Pending>? _nextToSend;
    private long _epoch;
    private int _inFlight;
    private long _dropped;

    public JobEventOutbox(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>Events kept at most; the oldest is dropped to make room.</summary>
    public int Capacity { get; }

    /// <summary>Events not yet acknowledged (sent or not).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Events sent on the current connection and still waiting for their PUBACK.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Adds an event; returns true when that dropped the oldest one (the outbox was full).</summary>
    public bool Add(byte[] payload)
    {
        lock (_gate)
        {
            var dropped = false;
            if (_pending.Count == Capacity)
            {
                Remove(_pending.First!);
                _dropped++;
                dropped = true;
            }

            var node = _pending.AddLast(new Pending(payload));
            node.Value.Node = node;
            _nextToSend ??= node;
            return dropped;
        }
    }

    /// <summary>The oldest event not yet sent on this connection, counted as in flight from now on.</summary>
    public bool TryTakeNext(out Pending pending)
    {
        lock (_gate)
        {
            if (_nextToSend is not { } node)
            {
                pending = null!;
                return false;
            }

            _nextToSend = node.Next;
            pending = node.Value;
            pending.InFlightEpoch = _epoch;
            _inFlight++;
            return true;
        }
    }

    /// <summary>
    /// What the broker made of a sent event: acknowledged (or refused for good) removes it;
    /// not sent keeps it for the next connection.
    /// </summary>
    /// <returns>The events still in flight, and all still here, after this one.</returns>
    public (int InFlight, int Count) Settle(Pending pending, bool done)
    {
        lock (_gate)
        {
            if (pending.InFlightEpoch == _epoch)
            {
                _inFlight--;
            }

            pending.InFlightEpoch = -1;
            if (done && pending.Node is { List: not null } node)
            {
                Remove(node);
            }

            return (_inFlight, _pending.Count);
        }
    }

    /// <summary>A new connection: everything still here is sent again, oldest first.</summary>
    public void Rewind()
    {
        lock (_gate)
        {
            _epoch++;
            _inFlight = 0;
            _nextToSend = _pending.First;
        }
    }

    /// <summary>How many events were dropped since the last call.</summary>
    public long TakeDropped()
    {
        lock (_gate)
        {
            var dropped = _dropped;
            _dropped = 0;
            return dropped;
        }
    }

    private void Remove(LinkedListNode<Pending> node)
    {
        if (node == _nextToSend)
        {
            _nextToSend = node.Next;
        }

        if (node.Value.InFlightEpoch == _epoch)
        {
            _inFlight--;
            node.Value.InFlightEpoch = -1;
        }

        _pending.Remove(node);
    }

    /// <summary>One event's serialized payload and where it is in the outbox.</summary>
    internal sealed class Pending
    {
        public Pending(byte[] payload) => Payload = payload;

        public byte[] Payload { get; }

        internal LinkedListNode<Pending>? Node { get; set; }

        /// <summary>The connection it was last sent on, or -1 when it is not in flight.</summary>
        internal long InFlightEpoch { get; set; } = -1;
    }
}
