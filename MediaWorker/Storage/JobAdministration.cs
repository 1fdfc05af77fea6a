using System.Data.Common;
using Dapper;
using MediaWorker.Messaging;
using MediaWorker.Webhooks.Delivery;

namespace MediaWorker.Storage;

/// <summary>What a person or producer does to jobs: look, cancel, retry, purge.</summary>
public static class JobAdministration
{
    public static JobRecord? Find(DbConnection connection, string jobId) =>
        JobRowReader.Query(connection, $"SELECT {JobRecord.Columns} FROM jobs WHERE job_id = @jobId", new { jobId }).SingleOrDefault();

    public static IReadOnlyList<JobRecord> List(DbConnection connection, string? status, string? taskType, int limit)
    {
        var where = new List<string>();
        if (status is not null)
        {
            where.Add(status == JobStatus.Failed ? "status IN ('failed', 'error')" : "status = @status");
        }

        if (taskType is not null)
        {
            where.Add("task_type = @taskType");
        }

        var sql = $"SELECT {JobRecord.Columns} FROM jobs {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : string.Empty)} ORDER BY id DESC LIMIT @limit";
        return JobRowReader.Query(connection, sql, new { status, taskType, limit });
    }

    public static IReadOnlyDictionary<string, long> CountByStatus(DbConnection connection) =>
        connection.Query<(string Status, long Count)>("SELECT CASE status WHEN 'error' THEN 'failed' ELSE status END, COUNT(*) FROM jobs GROUP BY 1")
            .ToDictionary(r => r.Status, r => r.Count, StringComparer.Ordinal);

    /// <summary>Cancels a queued job at once, or asks a running one to stop.</summary>
    public static CancelResult Cancel(DbConnection connection, string jobId, long nowMs)
    {
        using var transaction = WriteTransaction.Begin(connection);
        var cancelled = connection.QuerySingleOrDefault<string?>(
            "UPDATE jobs SET status = 'cancelled', completed_at = @now, updated_at = @now, error_message = 'Cancelled before it started.' WHERE job_id = @jobId AND status = 'queued' RETURNING task_type",
            new { jobId, now = nowMs });
        if (cancelled is not null)
        {
            WebhookEvents.JobChanged(connection, jobId, cancelled, JobEventType.Cancelled, nowMs); // webhooks (issue 16)
            // Pipelines (issue 17): a cancelled step job ends its step.
            Pipelines.Runs.StepAdvancer.JobsChanged(connection, [jobId], nowMs);
            transaction.Commit();
            return CancelResult.Cancelled;
        }

        var requested = connection.Execute(
            "UPDATE jobs SET cancel_requested = 1, updated_at = @now WHERE job_id = @jobId AND status = 'processing'",
            new { jobId, now = nowMs });
        var exists = requested == 1 || connection.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE job_id = @jobId", new { jobId }) == 1;
        transaction.Commit();
        return requested == 1 ? CancelResult.Requested : exists ? CancelResult.AlreadyFinished : CancelResult.NotFound;
    }

    /// <summary>Puts a failed or cancelled job back in the queue with a fresh set of attempts.</summary>
    public static bool Retry(DbConnection connection, string jobId, long nowMs)
    {
        using var transaction = WriteTransaction.Begin(connection);
        var changed = connection.Execute(
            """
            UPDATE jobs SET status = 'queued', attempts = 0, retry_count = 0, run_after = 0, cancel_requested = 0, progress = 0,
                error_message = NULL, output = NULL, started_at = NULL, completed_at = NULL, updated_at = @now
            WHERE job_id = @jobId AND status IN ('failed', 'cancelled', 'error')
            """,
            new { jobId, now = nowMs });
        transaction.Commit();
        return changed == 1;
    }

    /// <summary>Deletes finished jobs that ended before <paramref name="cutoffMs"/>; returns their ids.</summary>
    public static IReadOnlyList<string> Purge(DbConnection connection, long cutoffMs, string? status)
    {
        var statuses = status is null ? "('completed', 'failed', 'cancelled', 'error')" : status == JobStatus.Failed ? "('failed', 'error')" : "(@status)";
        using var transaction = WriteTransaction.Begin(connection);
        var ids = connection.Query<string>(
            $"DELETE FROM jobs WHERE status IN {statuses} AND COALESCE(completed_at, updated_at, created_at) < @cutoff RETURNING job_id",
            new { cutoff = cutoffMs, status }).ToList();
        CheckpointStore.DeleteOrphans(connection);
        transaction.Commit();
        return ids;
    }

    /// <summary>Jobs leased to <paramref name="owner"/> that a person asked to cancel.</summary>
    public static IReadOnlyList<string> CancelRequestedFor(DbConnection connection, string owner) =>
        connection.Query<string>("SELECT job_id FROM jobs WHERE status = 'processing' AND lease_owner = @owner AND cancel_requested = 1", new { owner }).ToList();
}

public enum CancelResult
{
    Cancelled,
    Requested,
    AlreadyFinished,
    NotFound,
}
