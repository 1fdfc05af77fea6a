using System.Buffers;
using System.Text.Json;

namespace MediaWorker.Messaging.Mqtt;

/// <summary>A job event on <c>MQTT_TOPIC</c> (SPEC 7): <c>{job_id, event_type, task_type, worker_id, timestamp, progress, attempt, error?}</c>.</summary>
internal static class JobEventPayload
{
    public static byte[] Serialize(JobEvent jobEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("job_id", jobEvent.JobId);
            json.WriteString("event_type", EventTypeName(jobEvent.EventType));
            json.WriteString("task_type", jobEvent.TaskType);
            json.WriteString("worker_id", jobEvent.WorkerId);
            json.WriteNumber("timestamp", jobEvent.Timestamp);
            json.WriteNumber("progress", jobEvent.Progress);
            json.WriteNumber("attempt", jobEvent.Attempt);
            if (jobEvent.Error is not null)
            {
                json.WriteString("error", jobEvent.Error);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The wire name of an event type (queued, processing, progress, completed, failed, cancelled, retrying).</summary>
    public static string EventTypeName(JobEventType type) => type switch
    {
        JobEventType.Queued => "queued",
        JobEventType.Processing => "processing",
        JobEventType.Progress => "progress",
        JobEventType.Completed => "completed",
        JobEventType.Failed => "failed",
        JobEventType.Cancelled => "cancelled",
        JobEventType.Retrying => "retrying",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown job event type."),
    };
}
