using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.Messaging;
using MediaWorker.Webhooks.Subscriptions;
using System.Data.Common;

namespace MediaWorker.Webhooks.Delivery;

/// <summary>
/// The JSON body of a delivery (docs/webhooks.md), built from the job's row inside the transaction
/// that changed it and stored with the delivery, so every attempt sends the same bytes:
/// <c>{"type": "job.completed", "timestamp": ISO 8601, "data": {job_id, event, task_type, status,
/// attempt, progress, created_at, started_at, completed_at, updated_at, error, output}}</c>.
/// </summary>
public static class WebhookPayload
{
    public static string Build(DbConnection connection, string jobId, JobEventType type, long nowMs)
    {
        var row = connection.QuerySingle<Row>(
            """
            SELECT job_id, task_type, status, attempts, progress, created_at, started_at, completed_at, updated_at, error_message, output
            FROM jobs WHERE job_id = @jobId
            """, new { jobId });
        var name = WebhookSubscription.EventName(type);
        return new JsonObject
        {
            ["type"] = "job." + name,
            ["timestamp"] = DateTimeOffset.FromUnixTimeMilliseconds(nowMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["data"] = new JsonObject
            {
                ["job_id"] = row.job_id,
                ["event"] = name,
                ["task_type"] = row.task_type,
                ["status"] = row.status == "error" ? "failed" : row.status,
                ["attempt"] = row.attempts,
                ["progress"] = row.progress,
                ["created_at"] = row.created_at,
                ["started_at"] = row.started_at,
                ["completed_at"] = row.completed_at,
                ["updated_at"] = row.updated_at,
                ["error"] = row.error_message,
                ["output"] = Output(row.output),
            },
        }.ToJsonString();
    }

    private static JsonNode? Output(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // A foreign producer's output that is not JSON still reaches the receiver, as text.
            return JsonValue.Create(text);
        }
    }

#pragma warning disable IDE1006, CA1707 // column names
    private sealed class Row
    {
        public string job_id { get; init; } = string.Empty;
        public string task_type { get; init; } = string.Empty;
        public string status { get; init; } = string.Empty;
        public long attempts { get; init; }
        public long progress { get; init; }
        public long? created_at { get; init; }
        public long? started_at { get; init; }
        public long? completed_at { get; init; }
        public long? updated_at { get; init; }
        public string? error_message { get; init; }
        public string? output { get; init; }
    }
#pragma warning restore IDE1006, CA1707
}
