using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.Messaging;
using MediaWorker.Storage;
using MediaWorker.Webhooks.Subscriptions;
using System.Data.Common;

namespace MediaWorker.Webhooks.Delivery;

/// <summary>
/// One job's deliveries to one endpoint, in order (see <see cref="WebhookEvents"/>): appends a
/// delivery, holding it while an earlier one is unfinished, and releases the first unfinished one
/// whenever one ends. Runs inside the transaction of the change that caused it.
/// </summary>
internal static class DeliveryChain
{
    /// <summary>The run-after of a held delivery: never due until its chain releases it.</summary>
    public const long Held = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

    /// <summary>Queued or running: what a later delivery of the same chain waits for.</summary>
    private const string Unfinished = "j.status IN ('queued', 'processing')";

    public static string Append(DbConnection connection, string endpointId, string url, string sourceJobId, JobEventType type, string body, long nowMs) =>
        Append(connection, endpointId, url, sourceJobId, WebhookSubscription.EventName(type), body, nowMs);

    /// <summary>Appends one delivery; returns its id (the delivery job's id and its webhook-id).</summary>
    public static string Append(DbConnection connection, string endpointId, string url, string sourceJobId, string eventName, string body, long nowMs)
    {
        var chain = new { endpointId, sourceJobId };
        var seq = connection.ExecuteScalar<long>(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM webhook_deliveries WHERE endpoint_id = @endpointId AND source_job_id = @sourceJobId", chain);
        var waiting = connection.ExecuteScalar<long>(
            $"""
            SELECT COUNT(*) FROM webhook_deliveries d JOIN jobs j ON j.job_id = d.delivery_id
            WHERE d.endpoint_id = @endpointId AND d.source_job_id = @sourceJobId AND {Unfinished}
            """, chain);
        var job = new NewJob(WebhookEvents.DeliveryTask, new JsonObject
        {
            ["endpoint_id"] = endpointId,
            ["source_job_id"] = sourceJobId,
            ["event"] = eventName,
        }.ToJsonString())
        {
            Priority = DeliveryPriority,
            MaxRetries = WebhookRetrySchedule.MaxRetries,
            RunAfter = waiting > 0 ? Held : 0,
            ParentJobId = sourceJobId,
            CreatedBy = "webhooks",
        };
        JobSubmitter.Insert(connection, job, nowMs);
        connection.Execute(
            """
            INSERT INTO webhook_deliveries (delivery_id, endpoint_id, url, source_job_id, event_type, seq, body, created_at)
            VALUES (@id, @endpointId, @url, @sourceJobId, @eventName, @seq, @body, @now)
            """,
            new { id = job.JobId, endpointId, url, sourceJobId, eventName, seq, body, now = nowMs });
        return job.JobId;
    }

    /// <summary>A delivery job changed: keep its last response code, disable the endpoint on 410, release the next delivery when it ended.</summary>
    public static void Settled(DbConnection connection, string deliveryId, JobEventType type, JobOutcome? outcome, long nowMs)
    {
        if (outcome is null && type is JobEventType.Processing or JobEventType.Progress)
        {
            return;
        }

        var rows = connection.Query<(string EndpointId, string SourceJobId)>(
            "SELECT endpoint_id, source_job_id FROM webhook_deliveries WHERE delivery_id = @deliveryId", new { deliveryId }).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var chain = rows[0];

        if (outcome is not null && DeliveryResult.StatusCodeOf(outcome) is { } code)
        {
            connection.Execute("UPDATE webhook_deliveries SET last_code = @code WHERE delivery_id = @deliveryId", new { code, deliveryId });
            if (type == JobEventType.Failed && code == 410)
            {
                WebhookEndpointStore.Disable(connection, chain.EndpointId, "The endpoint answered 410 Gone.", nowMs);
            }
        }

        if (type is JobEventType.Completed or JobEventType.Failed or JobEventType.Cancelled)
        {
            connection.Execute(
                $"""
                UPDATE jobs SET run_after = @now, updated_at = @now
                WHERE status = 'queued' AND run_after = @held AND job_id = (
                    SELECT d.delivery_id FROM webhook_deliveries d JOIN jobs j ON j.job_id = d.delivery_id
                    WHERE d.endpoint_id = @endpointId AND d.source_job_id = @sourceJobId AND {Unfinished}
                    ORDER BY d.seq LIMIT 1)
                """,
                new { now = nowMs, held = Held, endpointId = chain.EndpointId, sourceJobId = chain.SourceJobId });
        }
    }

    /// <summary>Above the default 5: a notification should not wait behind a queue of media jobs.</summary>
    private const int DeliveryPriority = 8;
}
