using System.Text.Json.Nodes;
using MediaWorker.Cli;
using MediaWorker.JobRequests;
using MediaWorker.Storage;
using MediaWorker.Webhooks.Delivery;
using MediaWorker.Webhooks.Subscriptions;
using System.Data.Common;

namespace MediaWorker.Webhooks;

/// <summary>
/// What a person does to webhook endpoints, shared by <c>mediaworker webhooks</c> and
/// <c>/api/webhooks</c> so both validate alike: a bad request is a <see cref="UsageException"/>,
/// a missing endpoint a <see cref="JobRequestException"/> (not found).
/// </summary>
public sealed class WebhookActions(DbConnection connection, UrlAllowList allowed, Func<long> clock)
{
    public WebhookEndpoint Add(string url, string secret, string? events, string? taskTypes)
    {
        WebhookSubscription subscription;
        try
        {
            subscription = WebhookSubscription.Create(url, secret, events, taskTypes, allowed);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message, ex);
        }

        return WebhookEndpointStore.Add(connection, subscription, clock());
    }

    public IReadOnlyList<WebhookEndpoint> List() => WebhookEndpointStore.List(connection);

    public WebhookEndpoint Find(string id) =>
        WebhookEndpointStore.Find(connection, id) ?? throw NotFound(id);

    public void Remove(string id)
    {
        if (!WebhookEndpointStore.Remove(connection, id))
        {
            throw NotFound(id);
        }
    }

    /// <summary>A new secret signs from now on; the current one keeps signing beside it until <see cref="FinishRotation"/>.</summary>
    public WebhookEndpoint Rotate(string id, string secret)
    {
        try
        {
            if (!WebhookEndpointStore.Rotate(connection, id, secret))
            {
                throw NotFound(id);
            }
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message, ex);
        }

        return Find(id);
    }

    public WebhookEndpoint FinishRotation(string id) =>
        WebhookEndpointStore.FinishRotation(connection, id) ? Find(id) : throw NotFound(id);

    /// <summary>Queues a <c>webhook.test</c> event to the endpoint, through the queue like every delivery; returns its delivery id.</summary>
    public string Test(string id)
    {
        var endpoint = Find(id);
        var now = clock();
        using var transaction = WriteTransaction.Begin(connection);
        var body = new JsonObject
        {
            ["type"] = "webhook.test",
            ["timestamp"] = DateTimeOffset.FromUnixTimeMilliseconds(now).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["data"] = new JsonObject { ["endpoint_id"] = endpoint.Id },
        }.ToJsonString();
        var deliveryId = DeliveryChain.Append(connection, endpoint.Id, endpoint.Url, "test-" + Guid.NewGuid().ToString("N"), "test", body, now);
        transaction.Commit();
        return deliveryId;
    }

    public IReadOnlyList<DeliveryLogEntry> Deliveries(string id, int limit)
    {
        _ = Find(id);
        return WebhookDeliveryLog.List(connection, id, Math.Clamp(limit, 1, 1000));
    }

    public DeliveryLogEntry? Delivery(string deliveryId) => WebhookDeliveryLog.Find(connection, deliveryId);

    public static JsonObject ToJson(WebhookEndpoint endpoint) => new()
    {
        ["id"] = endpoint.Id,
        ["url"] = endpoint.Url,
        ["events"] = new JsonArray([.. endpoint.Events.Select(e => (JsonNode)e)]),
        ["task_types"] = new JsonArray([.. endpoint.TaskTypes.Select(t => (JsonNode)t)]),
        ["created_at"] = endpoint.CreatedAt,
        ["disabled_at"] = endpoint.DisabledAt,
        ["disabled_reason"] = endpoint.DisabledReason,
        ["rotating"] = endpoint.Rotating,
    };

    public static JsonObject ToJson(DeliveryLogEntry entry) => new()
    {
        ["delivery_id"] = entry.DeliveryId,
        ["source_job_id"] = entry.SourceJobId,
        ["event"] = entry.Event,
        ["status"] = entry.Status,
        ["held"] = entry.Held,
        ["attempts"] = entry.Attempts,
        ["last_code"] = entry.LastCode,
        ["error"] = entry.Error,
        ["created_at"] = entry.CreatedAt,
        ["updated_at"] = entry.UpdatedAt,
    };

    private static JobRequestException NotFound(string id) =>
        new(JobRequestFailure.NotFound, $"No webhook endpoint '{id}'; `mediaworker webhooks list` shows them.");
}
