using Dapper;
using System.Data.Common;

namespace MediaWorker.Webhooks.Delivery;

/// <summary>One delivery as the log shows it (<c>webhooks deliveries ID</c>, <c>GET /api/webhooks/{id}/deliveries</c>).</summary>
public sealed class DeliveryLogEntry
{
    /// <summary>The delivery job's id, sent as webhook-id.</summary>
    public string DeliveryId { get; init; } = string.Empty;

    /// <summary>The job the event is about.</summary>
    public string SourceJobId { get; init; } = string.Empty;

    /// <summary>processing, progress, completed, failed, cancelled, retrying, or test.</summary>
    public string Event { get; init; } = string.Empty;

    /// <summary>The delivery job's status: queued (also while held), processing, completed (delivered), failed, cancelled.</summary>
    public string Status { get; init; } = string.Empty;

    /// <summary>Waiting for an earlier delivery of the same job to this endpoint.</summary>
    public bool Held { get; init; }

    public long Attempts { get; init; }

    /// <summary>The last HTTP status code received, if any.</summary>
    public int? LastCode { get; init; }

    /// <summary>The last error: code, URL and the start of the response body, or the network error.</summary>
    public string? Error { get; init; }

    /// <summary>Epoch ms when the event was enqueued.</summary>
    public long CreatedAt { get; init; }

    /// <summary>Epoch ms of the delivery job's last change.</summary>
    public long? UpdatedAt { get; init; }
}

/// <summary>Reads the delivery log of one endpoint, newest first.</summary>
public static class WebhookDeliveryLog
{
    /// <summary>
    /// A delivery with its job's state; a purged delivery job reads as <c>purged</c>. Held is a CASE, not a
    /// comparison: PostgreSQL's comparisons are booleans, which COALESCE cannot mix with 0.
    /// </summary>
    private const string Select = """
        SELECT d.delivery_id AS DeliveryId, d.source_job_id AS SourceJobId, d.event_type AS Event,
               COALESCE(j.status, 'purged') AS Status, CASE WHEN j.run_after = @held THEN 1 ELSE 0 END AS Held, COALESCE(j.attempts, 0) AS Attempts,
               d.last_code AS LastCode, j.error_message AS Error, d.created_at AS CreatedAt, j.updated_at AS UpdatedAt
        FROM webhook_deliveries d LEFT JOIN jobs j ON j.job_id = d.delivery_id
        """;

    public static IReadOnlyList<DeliveryLogEntry> List(DbConnection connection, string endpointId, int limit) =>
        connection.Query<DeliveryLogEntry>(
            Select + " WHERE d.endpoint_id = @endpointId ORDER BY d.created_at DESC, d.seq DESC LIMIT @limit",
            new { endpointId, limit, held = DeliveryChain.Held }).ToList();

    public static DeliveryLogEntry? Find(DbConnection connection, string deliveryId) =>
        connection.QuerySingleOrDefault<DeliveryLogEntry>(
            Select + " WHERE d.delivery_id = @deliveryId",
            new { deliveryId, held = DeliveryChain.Held });
}
