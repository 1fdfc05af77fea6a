using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace MediaWorker.Http.Events;

/// <summary>
/// Fans live events out to every subscriber (SSE connections). Each subscriber has its own bounded
/// queue: a slow reader loses its oldest events instead of holding anyone up.
/// </summary>
public sealed class EventHub
{
    private const int QueuePerSubscriber = 4096;
    private readonly Lock _gate = new();
    private readonly List<Channel<LiveEvent>> _subscribers = [];
    private long _lastId;

    /// <summary>Subscribers now.</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Raised when the first subscriber arrives (the change feed starts reading then).</summary>
    public event Action? FirstSubscriber;

    public void Publish(string type, JsonObject data)
    {
        lock (_gate)
        {
            if (_subscribers.Count == 0)
            {
                return;
            }

            var liveEvent = new LiveEvent(++_lastId, type, data);
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(liveEvent);
            }
        }
    }

    /// <summary>A new subscription; dispose it to leave.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(QueuePerSubscriber)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        bool first;
        lock (_gate)
        {
            _subscribers.Add(channel);
            first = _subscribers.Count == 1;
        }

        if (first)
        {
            FirstSubscriber?.Invoke();
        }

        return new Subscription(this, channel);
    }

    private void Leave(Channel<LiveEvent> channel)
    {
        lock (_gate)
        {
            _subscribers.Remove(channel);
        }

        channel.Writer.TryComplete();
    }

    /// <summary>One subscriber's events.</summary>
    public sealed class Subscription(EventHub hub, Channel<LiveEvent> channel) : IDisposable
    {
        public ChannelReader<LiveEvent> Events => channel.Reader;

        public void Dispose() => hub.Leave(channel);
    }
}
