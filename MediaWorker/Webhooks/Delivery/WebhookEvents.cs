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
    public static void JobChanged(DbConnection connection, string jobId, string taskType, JobEventType type, long nowMs, JobOutcome? outcome = null) =>
        JobsChanged(connection, [new JobChange(jobId, taskType, type, outcome)], nowMs);

    /// <summary>
    /// <see cref="JobChanged"/> for many jobs changed in one transaction (a claim, a batch of
    /// outcomes), in order: the active endpoints and the jobs' own <c>webhook_url</c>s are read once
    /// for the whole batch instead of once per job, which on PostgreSQL is a round trip each.
    /// </summary>
    public static void JobsChanged(DbConnection connection, IReadOnlyList<JobChange> changes, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(changes);
        List<(string Id, string Url, WebhookSubscription Filter)>? endpoints = null;
        Dictionary<string, string>? ownUrls = null;
        foreach (var change in changes)
        {
            if (change.TaskType == DeliveryTask)
            {
                DeliveryChain.Settled(connection, change.JobId, change.Type, change.Outcome, nowMs);
                // A settled delivery may have disabled its endpoint (410 Gone): later changes read them again.
                endpoints = null;
                continue;
            }

            endpoints ??= WebhookEndpointStore.Active(connection).ToList();
            var targets = endpoints
                .Where(e => e.Filter.Matches(change.Type, change.TaskType))
                .Select(e => (e.Id, e.Url))
                .ToList();
            if (JobUrlEvents.Contains(change.Type) && (ownUrls ??= OwnUrls(connection, changes)).TryGetValue(change.JobId, out var own))
            {
                targets.Add((JobEndpointId, own));
            }

            if (targets.Count == 0)
            {
                continue;
            }

            var body = WebhookPayload.Build(connection, change.JobId, change.Type, nowMs);
            foreach (var (endpointId, url) in targets)
            {
                DeliveryChain.Append(connection, endpointId, url, change.JobId, change.Type, body, nowMs);
            }
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

    /// <summary>The own <c>webhook_url</c> of those changed jobs whose event it receives, in one query.</summary>
    private static Dictionary<string, string> OwnUrls(DbConnection connection, IReadOnlyList<JobChange> changes)
    {
        var jobIds = changes.Where(c => c.TaskType != DeliveryTask && JobUrlEvents.Contains(c.Type)).Select(c => c.JobId).Distinct(StringComparer.Ordinal);
        var dialect = SqlDialect.Of(connection);
        return StatementCache.Query(
                connection,
                $"SELECT job_id, webhook_url FROM jobs WHERE {dialect.OneOf("job_id", "@jobIds")} AND webhook_url IS NOT NULL AND webhook_url <> ''",
                [("@jobIds", dialect.List(jobIds))],
                r => (JobId: r.GetString(0), Url: r.GetString(1)))
            .ToDictionary(r => r.JobId, r => r.Url, StringComparer.Ordinal);
    }
}
