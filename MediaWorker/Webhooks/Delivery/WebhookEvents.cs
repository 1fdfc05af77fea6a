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
    /// <see cref="JobChanged"/> for a batch of changes written in one transaction (a claim, a run of
    /// outcomes): the endpoints and the jobs' own <c>webhook_url</c>s are read once for the batch,
    /// not once per job, so a 256-job claim costs two look-ups instead of 256.
    /// </summary>
    /// <param name="connection">The connection that holds the transaction.</param>
    /// <param name="changes">The changes, in the order they were written; deliveries are appended in that order.</param>
    /// <param name="nowMs">The changes' time.</param>
    public static void JobsChanged(DbConnection connection, IReadOnlyList<JobChange> changes, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return;
        }

        List<(string Id, string Url, WebhookSubscription Filter)>? endpoints = null;
        Dictionary<string, string>? ownUrls = null;
        foreach (var change in changes)
        {
            if (change.TaskType == DeliveryTask)
            {
                DeliveryChain.Settled(connection, change.JobId, change.Type, change.Outcome, nowMs);
                continue;
            }

            endpoints ??= [.. WebhookEndpointStore.Active(connection)];
            var targets = new List<(string Id, string Url)>();
            foreach (var endpoint in endpoints)
            {
                if (endpoint.Filter.Matches(change.Type, change.TaskType))
                {
                    targets.Add((endpoint.Id, endpoint.Url));
                }
            }

            if (JobUrlEvents.Contains(change.Type))
            {
                var own = change.OwnUrlRead ? change.OwnUrl : (ownUrls ??= OwnUrls(connection, changes)).GetValueOrDefault(change.JobId);
                if (!string.IsNullOrEmpty(own))
                {
                    targets.Add((JobEndpointId, own));
                }
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

    /// <summary>The <c>webhook_url</c> of each job in <paramref name="changes"/> with a final event that has one: one indexed look-up for the batch.</summary>
    private static Dictionary<string, string> OwnUrls(DbConnection connection, IReadOnlyList<JobChange> changes)
    {
        var ids = changes.Where(c => JobUrlEvents.Contains(c.Type) && c.TaskType != DeliveryTask && !c.OwnUrlRead).Select(c => c.JobId).Distinct(StringComparer.Ordinal).ToArray();
        return connection.Query<(string JobId, string Url)>(
                $"SELECT job_id, webhook_url FROM jobs WHERE {SqlDialect.Of(connection).OneOf("job_id", "@ids")} AND webhook_url IS NOT NULL AND webhook_url <> ''",
                new { ids })
            .ToDictionary(r => r.JobId, r => r.Url, StringComparer.Ordinal);
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

/// <summary>One job's state change, for <see cref="WebhookEvents.JobsChanged"/>.</summary>
/// <param name="JobId">The job whose state changed.</param>
/// <param name="TaskType">Its task type.</param>
/// <param name="Type">The job event the change is.</param>
/// <param name="Outcome">For a written outcome: what the attempt returned (a delivery's response code).</param>
public sealed record JobChange(string JobId, string TaskType, JobEventType Type, JobOutcome? Outcome = null)
{
    /// <summary>The job's own <c>webhook_url</c> as the claim read it (null: none); used when <see cref="OwnUrlRead"/>.</summary>
    public string? OwnUrl { get; init; }

    /// <summary>Whether <see cref="OwnUrl"/> is known; false: it is looked up (once for the batch).</summary>
    public bool OwnUrlRead { get; init; }

    /// <summary>The change of a claimed job, with the webhook_url its claim read.</summary>
    public static JobChange Of(ClaimedJob job, JobEventType type, JobOutcome? outcome = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new(job.JobId, job.TaskType, type, outcome) { OwnUrl = job.WebhookUrl, OwnUrlRead = job.WebhookUrlRead };
    }
}
