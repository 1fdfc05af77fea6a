using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaWorker.Messaging.Mqtt.Watching;

/// <summary>
/// A capability message as a reader sees it. Tolerant: a seed (Python) worker sends only
/// <c>id</c>, <c>capabilities</c>, <c>idle_count</c> and <c>timestamp</c>; the rest may be missing.
/// </summary>
internal sealed record WorkerAnnouncement(
    string WorkerId,
    string Status,
    int IdleCount,
    int? MaxConcurrency,
    IReadOnlyList<string> Capabilities,
    long? Timestamp,
    TimeSpan? HeartbeatInterval,
    JsonObject Payload)
{
    /// <summary>Parses a non-empty payload; null when it is not a JSON object.</summary>
    public static WorkerAnnouncement? TryParse(string workerId, byte[] payload)
    {
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(payload) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }

        if (json is null)
        {
            return null;
        }

        var idle = Number(json, "idle_count") is { } i ? (int)i : 0;
        var heartbeat = Number(json, "heartbeat_interval");
        return new WorkerAnnouncement(
            workerId,
            Text(json, "status") ?? (idle > 0 ? "idle" : "busy"),
            idle,
            Number(json, "max_concurrency") is { } max ? (int)max : null,
            json["capabilities"] is JsonArray tasks ? [.. tasks.Select(t => t is JsonValue v && v.TryGetValue<string>(out var s) ? s : t?.ToJsonString() ?? string.Empty)] : [],
            Number(json, "timestamp") is { } ts ? (long)ts : null,
            heartbeat is > 0 ? TimeSpan.FromSeconds(heartbeat.Value) : null,
            json);
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static double? Number(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;
}
