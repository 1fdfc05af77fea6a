using System.Buffers;
using System.Text;
using System.Text.Json;

namespace MediaWorker.Messaging.Mqtt;

/// <summary>Which connection and which message of it a capability payload is (SPEC 7 <c>session</c>, <c>seq</c>, <c>timestamp</c>).</summary>
internal readonly record struct CapabilityStamp(long Session, long Seq, long Timestamp);

/// <summary>
/// The retained capability message (SPEC 7): the seed's <c>id</c>, <c>capabilities</c>,
/// <c>idle_count</c> and <c>timestamp</c>, then what this worker adds. Written field by field so the
/// order is stable and nothing depends on reflection.
/// </summary>
internal static class CapabilityPayload
{
    public static byte[] Serialize(WorkerSnapshot snapshot, CapabilityStamp stamp, WorkerIdentity identity)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", snapshot.WorkerId);
            json.WriteString("worker_id", snapshot.WorkerId);
            WriteStrings(json, "capabilities", snapshot.Capabilities);
            json.WriteNumber("idle_count", snapshot.IdleCount);
            json.WriteNumber("timestamp", stamp.Timestamp);
            WriteState(json, snapshot);
            json.WriteNumber("session", stamp.Session);
            json.WriteNumber("seq", stamp.Seq);
            WritePlugins(json, snapshot);
            json.WriteString("version", identity.Version);
            json.WriteString("host", identity.Host);
            json.WriteNumber("pid", identity.Pid);
            json.WriteNumber("heartbeat_interval", identity.HeartbeatInterval.TotalSeconds);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// What the message says about the worker, without the stamp: two snapshots with equal content
    /// need no new message (a job that started and ended between two publications changes nothing).
    /// </summary>
    public static string Content(WorkerSnapshot snapshot)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WriteStrings(json, "capabilities", snapshot.Capabilities);
            json.WriteNumber("idle_count", snapshot.IdleCount);
            WriteState(json, snapshot);
            WritePlugins(json, snapshot);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteState(Utf8JsonWriter json, WorkerSnapshot snapshot)
    {
        json.WriteString("status", snapshot.Status);
        json.WriteNumber("active_jobs", snapshot.ActiveJobs);
        json.WriteNumber("max_concurrency", snapshot.MaxConcurrency);
    }

    private static void WritePlugins(Utf8JsonWriter json, WorkerSnapshot snapshot)
    {
        json.WriteStartArray("plugins");
        foreach (var plugin in snapshot.Plugins)
        {
            json.WriteStartObject();
            json.WriteString("name", plugin.Name);
            json.WriteString("version", plugin.Version);
            WriteStrings(json, "tasks", plugin.Tasks);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
