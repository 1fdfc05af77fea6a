using System.Data.Common;
using MediaWorker.Messaging;
using MediaWorker.Webhooks.Delivery;

namespace MediaWorker.Storage;

/// <summary>
/// What both claimers (<see cref="JobClaimer"/>, <see cref="Postgres.PostgresJobClaimer"/>) do with
/// the rows their UPDATE … RETURNING gave back: read them into <see cref="ClaimedJob"/>s, announce
/// the <c>processing</c> webhooks inside the claim's transaction (one endpoint look-up per claim), and put them in claim order.
/// </summary>
/// <remarks>
/// Columns, in order: id, job_id, task_type, params, attempts, max_retries, timeout_seconds,
/// created_at, priority, and (SQLite only) the unreadable run_after text and the job's webhook_url.
/// </remarks>
internal static class ClaimedRows
{
    public static List<ClaimedJob> Read(DbDataReader reader, long nowMs, string token)
    {
        var claimed = new List<ClaimedJob>();
        while (reader.Read())
        {
            claimed.Add(new ClaimedJob(
                Id: reader.GetInt64(0),
                JobId: reader.GetString(1),
                TaskType: reader.GetString(2),
                ParamsJson: reader.IsDBNull(3) ? null : reader.GetString(3),
                Attempt: (int)reader.GetInt64(4),
                MaxRetries: reader.IsDBNull(5) ? 3 : (int)reader.GetInt64(5),
                TimeoutSeconds: reader.IsDBNull(6) ? null : reader.GetDouble(6),
                CreatedAt: reader.IsDBNull(7) ? nowMs : reader.GetInt64(7),
                StartedAt: nowMs,
                LeaseToken: token)
            {
                Priority = reader.IsDBNull(8) ? 5 : (int)reader.GetInt64(8),
                UnreadableRunAfter = reader.FieldCount > 9 && !reader.IsDBNull(9) ? reader.GetString(9) : null,
                WebhookUrl = reader.FieldCount > 10 && !reader.IsDBNull(10) ? reader.GetString(10) : null,
                WebhookUrlRead = reader.FieldCount > 10,
            });
        }

        return claimed;
    }

    /// <summary>Enqueues the <c>processing</c> webhooks in the claim's transaction; returns the jobs in claim order.</summary>
    public static IReadOnlyList<ClaimedJob> Settle(DbConnection connection, List<ClaimedJob> claimed, long nowMs)
    {
        WebhookEvents.JobsChanged(connection, claimed.ConvertAll(job => JobChange.Of(job, JobEventType.Processing)), nowMs); // webhooks (issue 16)

        // RETURNING yields rows in update order, not claim order; start them in the claim's own order.
        return claimed.Count > 1 ? [.. claimed.OrderByDescending(c => c.Priority).ThenBy(c => c.CreatedAt).ThenBy(c => c.Id)] : claimed;
    }
}
