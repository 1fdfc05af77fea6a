using System.Text.Json.Nodes;

namespace MediaWorker.Messaging.Mqtt.Watching;

/// <summary>One worker as <c>mediaworker workers</c> shows it.</summary>
internal sealed record WorkerRow(WorkerAnnouncement Worker, DateTimeOffset LastSeen, TimeSpan Age, bool Stale)
{
    /// <summary>The status to show: the announced one, or <c>stale</c> after three missed heartbeats.</summary>
    public string Status => Stale ? "stale" : Worker.Status;

    /// <summary>The payload as received plus what the reader worked out (<c>last_seen</c>, <c>age_seconds</c>, <c>stale</c>).</summary>
    public JsonObject ToJson()
    {
        var json = (JsonObject)Worker.Payload.DeepClone();
        json["worker_id"] ??= Worker.WorkerId;
        json["last_seen"] = LastSeen.ToUnixTimeMilliseconds();
        json["age_seconds"] = Math.Round(Age.TotalSeconds, 1);
        json["stale"] = Stale;
        return json;
    }
}

/// <summary>
/// The workers known from <c>$CAPABILITY_TOPIC_PREFIX/+</c>: the latest announcement of each and
/// when it was seen. An empty payload (a graceful stop or the will) removes the worker.
/// </summary>
/// <remarks>
/// "Last seen" is the local receive time, so a worker's wrong clock cannot make it look alive or
/// dead. The exception is a retained message delivered when we subscribe: it may be old, so its
/// own timestamp is used (never later than now). A worker is stale after three missed heartbeats.
/// </remarks>
internal sealed class WorkerDirectory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (WorkerAnnouncement Worker, DateTimeOffset LastSeen)> _workers = new(StringComparer.Ordinal);
    private readonly TimeSpan _defaultHeartbeat;

    /// <param name="defaultHeartbeat">For workers that do not announce their <c>heartbeat_interval</c> (the seed's): MQTT_HEARTBEAT_INTERVAL.</param>
    public WorkerDirectory(TimeSpan defaultHeartbeat) => _defaultHeartbeat = defaultHeartbeat;

    /// <summary>Applies one message of <paramref name="workerId"/>; false when it was unreadable.</summary>
    public bool Apply(string workerId, byte[] payload, bool retained, DateTimeOffset receivedAt)
    {
        lock (_gate)
        {
            if (payload.Length == 0)
            {
                _workers.Remove(workerId);
                return true;
            }

            var worker = WorkerAnnouncement.TryParse(workerId, payload);
            if (worker is null)
            {
                return false;
            }

            var seen = retained && worker.Timestamp is { } ts
                ? Min(DateTimeOffset.FromUnixTimeMilliseconds(ts), receivedAt)
                : receivedAt;
            _workers[workerId] = (worker, seen);
            return true;
        }
    }

    public IReadOnlyList<WorkerRow> Rows(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _workers.Values
                .Select(w =>
                {
                    var age = now - w.LastSeen;
                    return new WorkerRow(w.Worker, w.LastSeen, age < TimeSpan.Zero ? TimeSpan.Zero : age, age > 3 * (w.Worker.HeartbeatInterval ?? _defaultHeartbeat));
                })
                .OrderBy(r => r.Worker.WorkerId, StringComparer.Ordinal)
                .ToList();
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
