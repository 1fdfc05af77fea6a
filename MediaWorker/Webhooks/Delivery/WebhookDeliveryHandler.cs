using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Storage;
using MediaWorker.Webhooks.Subscriptions;
using System.Data.Common;

namespace MediaWorker.Webhooks.Delivery;

/// <summary>
/// The built-in <c>webhook_delivery</c> task: sends one stored event to one endpoint, signed, and
/// maps the answer to the job's outcome (docs/webhooks.md): 2xx delivered; network errors, 5xx,
/// 408 and 429 retry on <see cref="WebhookRetrySchedule"/> (Retry-After honoured); any other answer,
/// including a redirect, fails at once, and 410 Gone also disables the endpoint. Because a delivery
/// is a job, a worker killed mid-request leaves it claimable, and it is sent again with the same
/// webhook-id.
/// </summary>
public sealed class WebhookDeliveryHandler(WebhookSettings settings, IJobStore connections, WebhookSender sender, WebhookRetrySchedule schedule) : ITaskHandler
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _perEndpoint = new(StringComparer.Ordinal);

    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = WebhookEvents.DeliveryTask,
        Description = "Sends one job event to one webhook endpoint (enqueued by the queue itself; see docs/webhooks.md).",
        // Room to wait for the endpoint's concurrency limit, then one request.
        DefaultTimeout = settings.RequestTimeout + TimeSpan.FromMinutes(2),
        ParameterSchema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["endpoint_id"] = new JsonObject { ["type"] = "string" },
                ["source_job_id"] = new JsonObject { ["type"] = "string" },
                ["event"] = new JsonObject { ["type"] = "string" },
            },
            ["required"] = new JsonArray("endpoint_id"),
        },
    };

    public async Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var (delivery, secrets) = Load(job.JobId);
        Uri url;
        try
        {
            url = settings.AllowedUrls.Check(delivery.Url);
        }
        catch (ArgumentException ex)
        {
            throw new PermanentJobException(ex.Message);
        }

        var gate = _perEndpoint.GetOrAdd(delivery.EndpointId, _ => new SemaphoreSlim(settings.EndpointConcurrency));
        await gate.WaitAsync(cancellationToken);
        SendResult result;
        try
        {
            result = await sender.SendAsync(url, job.JobId, delivery.Body, secrets, cancellationToken);
        }
        finally
        {
            gate.Release();
        }

        return result switch
        {
            { StatusCode: null } => throw Retry($"Could not deliver to {url}: {result.Error}", job.Attempt, null),
            { StatusCode: >= 200 and < 300 } => new JsonObject { ["status_code"] = result.StatusCode, ["url"] = url.ToString(), ["attempt"] = job.Attempt },
            { StatusCode: 410 } => throw new PermanentJobException(DeliveryResult.Failure(410, url, result.Excerpt, "gone: the endpoint is disabled")),
            { StatusCode: 408 or 429 or >= 500 } => throw Retry(DeliveryResult.Failure(result.StatusCode.Value, url, result.Excerpt), job.Attempt, result.RetryAfter),
            { StatusCode: >= 300 and < 400 } => throw new PermanentJobException(DeliveryResult.Failure(result.StatusCode.Value, url, result.Excerpt, "redirects are not followed; register the final URL")),
            _ => throw new PermanentJobException(DeliveryResult.Failure(result.StatusCode!.Value, url, result.Excerpt)),
        };
    }

    private RetryableJobException Retry(string message, int attempt, TimeSpan? retryAfter) =>
        new(message) { RetryAfter = schedule.Delay(attempt, retryAfter) };

    private (StoredDelivery Delivery, IReadOnlyList<string> Secrets) Load(string deliveryId)
    {
        using var connection = connections.Open();
        var delivery = connection.QuerySingleOrDefault<StoredDelivery>(
            "SELECT endpoint_id AS EndpointId, url AS Url, body AS Body FROM webhook_deliveries WHERE delivery_id = @deliveryId", new { deliveryId })
            ?? throw new PermanentJobException($"No webhook delivery '{deliveryId}' is recorded; webhook_delivery jobs are enqueued by the queue itself, not submitted.");
        if (delivery.EndpointId == WebhookEvents.JobEndpointId)
        {
            return (delivery, settings.JobSecret is { } jobSecret
                ? [jobSecret]
                : throw new PermanentJobException("The job's webhook_url cannot be signed: set WEBHOOK_JOB_SECRET on the worker."));
        }

        var endpoint = WebhookEndpointStore.Credentials(connection, delivery.EndpointId)
            ?? throw new PermanentJobException($"The webhook endpoint '{delivery.EndpointId}' was removed; the event is not sent.");
        if (endpoint.DisabledAt is not null)
        {
            throw new PermanentJobException($"The webhook endpoint '{delivery.EndpointId}' is disabled ({endpoint.DisabledReason}); add it again to resume.");
        }

        return (new StoredDelivery { EndpointId = delivery.EndpointId, Url = endpoint.Url, Body = delivery.Body },
            endpoint.PreviousSecret is { } previous ? [endpoint.Secret, previous] : [endpoint.Secret]);
    }

    private sealed class StoredDelivery
    {
        public string EndpointId { get; init; } = string.Empty;
        public string Url { get; init; } = string.Empty;
        public string Body { get; init; } = string.Empty;
    }
}
