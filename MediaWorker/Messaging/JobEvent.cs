namespace MediaWorker.Messaging;

/// <summary>What happened to a job (SPEC 7 <c>event_type</c>).</summary>
public enum JobEventType
{
    Processing,
    Progress,
    Completed,
    Failed,
    Cancelled,
    Retrying,
    /// <summary>A job was accepted into the queue (the compute API announces it, as the seed's service did).</summary>
    Queued,
}

/// <summary>One job event, published on <c>MQTT_TOPIC</c>.</summary>
public sealed record JobEvent(
    string JobId,
    JobEventType EventType,
    string TaskType,
    string WorkerId,
    long Timestamp,
    int Progress,
    int Attempt,
    string? Error = null);
