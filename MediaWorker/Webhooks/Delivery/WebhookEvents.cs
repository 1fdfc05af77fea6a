using Dapper;
using MediaWorker.Messaging;
using MediaWorker.Storage;
using MediaWorker.Webhooks.Subscriptions;
using System.Data.Common;

namespace MediaWorker.Webhooks.Delivery;

/// <summary>
/// The one call every path that changes a job's state makes, inside its own transaction: it
/// enqueues one <c>webhook_delivery</c> job per matching endpoint, so the change and its
/// notifications commit or vanish together. For a delivery job's own outcome it keeps the
/// endpoint's log and order instead (<see cref="DeliveryChain"/>).
/// </summary>
/// <remarks>
/// Ordering rule: the deliveries of one job's events to one endpoint form a chain (by <c>seq</c>).
/// A delivery enqueued while an earlier one of its chain is unfinished is held (its run-after is
/// <see cref="DeliveryChain.Held"/>); when a delivery ends (delivered, failed or cancelled) the next
/// one of its chain is released in the same transaction. A retrying delivery stays unfinished, so
/// nothing behind it can overtake it.
/// </remarks>
public static class WebhookEvents
{
    /// <summary>The built-in task that sends one event to one endpoint.</summary>
    public const string DeliveryTask = "webhook_delivery";

    /// <summary>The endpoint id of deliveries to a job's own <c>webhook_url</c>.</summary>
    public const string JobEndpointId = "job";

    /// <summary>Events a job's own <c>webhook_url</c> receives: how it ended.</summary>
    private static readonly JobEventType[] JobUrlEvents = [JobEventType.Completed, JobEventType.Failed, JobEventType.Cancelled];

    /// <summary>
    /// Call after the statement that changed <paramref name="jobId"/> succeeded, in the same transaction.
    /// </summary>
    /// <param name="connection">The connection that holds the transaction.</param>
    /// <param name="jobId">The job whose state changed.</param>
    /// <param name="taskType">Its task type.</param>
    /// <param name="type">The job event the change is.</param>
    /// <param name="nowMs">The change's time.</param>
    /// <param name="outcome">For a written outcome: what the attempt returned (a delivery's response code).</param>
    public static void JobChanged(DbConnection connection, string jobId, string taskType, JobEventType type, long nowMs, JobOutcome? outcome = null)
    {
        if (taskType == DeliveryTask)
        {
            DeliveryChain.Settled(connection, jobId, type, outcome, nowMs);
            return;
        }

        var targets = WebhookEndpointStore.Active(connection)
            .Where(e => e.Filter.Matches(type, taskType))
            .Select(e => (e.Id, e.Url))
            .ToList();
        if (JobUrlEvents.Contains(type) && connection.ExecuteScalar<string?>("SELECT webhook_url FROM jobs WHERE job_id = @jobId", new { jobId }) is { Length: > 0 } own)
        {
            targets.Add((JobEndpointId, own));
        }

        if (targets.Count == 0)
        {
            return;
        }

        var body = WebhookPayload.Build(connection, jobId, type, nowMs);
        foreach (var (endpointId, url) in targets)
        {
            DeliveryChain.Append(connection, endpointId, url, jobId, type, body, nowMs);
        }
    }

    /// <summary>The job event a written outcome is; none for a graceful re-queue.</summary>
    public static JobEventType? EventOf(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Completed => JobEventType.Completed,
        OutcomeKind.Retry => JobEventType.Retrying,
        OutcomeKind.Failed => JobEventType.Failed,
        OutcomeKind.Cancelled => JobEventType.Cancelled,
        _ => null,
    };
}
