using System.Data.Common;
using Dapper;
using MediaWorker.Messaging;
using MediaWorker.Webhooks.Delivery;

namespace MediaWorker.Storage;

/// <summary>
/// Settles jobs whose worker died (lease expired) that must not be claimed again: those asked to
/// cancel end <c>cancelled</c>, those that used their last attempt end <c>failed</c> with a reason.
/// Jobs with attempts left are reclaimed by <see cref="JobClaimer"/> itself.
/// </summary>
public static class LeaseReaper
{
    private const string CancelSql = """
        UPDATE jobs SET status = 'cancelled', completed_at = @now, updated_at = @now,
            error_message = 'Cancelled: its worker stopped while the job was being cancelled.',
            lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
        WHERE status = 'processing' AND lease_expires_at < @now AND cancel_requested = 1
        RETURNING job_id, task_type
        """;

    private const string FailSql = """
        UPDATE jobs SET status = 'failed', completed_at = @now, updated_at = @now,
            error_message = 'The worker ''' || COALESCE(lease_owner, '?') || ''' stopped (its lease expired) during attempt '
                || attempts || ' of ' || (max_retries + 1) || '; no attempts are left. Check that worker''s log, then `mediaworker retry` the job.',
            lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
        WHERE status = 'processing' AND lease_expires_at < @now AND attempts >= max_retries + 1
        RETURNING job_id, task_type
        """;

    /// <summary>Runs inside the claim's write transaction.</summary>
    public static int Reap(DbConnection connection, long nowMs)
    {
        var reaped = Settle(connection, CancelSql, JobEventType.Cancelled, nowMs) + Settle(connection, FailSql, JobEventType.Failed, nowMs);
        if (reaped > 0)
        {
            // Pipelines (issue 17): a reaped step job moves its run on, so a run never waits on a dead worker's job.
            Pipelines.Runs.StepAdvancer.Sweep(connection, nowMs);
        }

        return reaped;
    }

    private static int Settle(DbConnection connection, string sql, JobEventType type, long nowMs)
    {
        var settled = StatementCache.Query(connection, sql, [("@now", nowMs)], r => (JobId: r.GetString(0), TaskType: r.GetString(1)));
        WebhookEvents.JobsChanged(connection, settled.ConvertAll(s => new JobChange(s.JobId, s.TaskType, type)), nowMs); // webhooks (issue 16)

        return settled.Count;
    }

    /// <summary>
    /// At start-up, under the instance lock: jobs still leased to this worker id belong to a process
    /// of ours that died, so they need not wait for their lease to expire.
    /// </summary>
    public static int ReleaseOrphans(DbConnection connection, string owner, long nowMs)
    {
        using var transaction = WriteTransaction.Begin(connection);
        var count = connection.Execute(
            "UPDATE jobs SET lease_expires_at = @expired WHERE status = 'processing' AND lease_owner = @owner",
            new { owner, expired = nowMs - 1 });
        transaction.Commit();
        return count;
    }
}
