using Dapper;
using System.Data.Common;

namespace MediaWorker.Storage;

/// <summary>
/// Reads and writes <c>job_checkpoints</c> (schema step 6). A write is fenced like every other
/// write to a claimed job (<see cref="LeasedJobWriter.Fence"/>): the job's row is touched first,
/// and only when exactly that lease still holds are the state replaced and the follow-ups inserted,
/// all inside the caller's transaction.
/// </summary>
public static class CheckpointStore
{
    private const string TouchJob = "UPDATE jobs SET progress = COALESCE(@progress, progress), updated_at = @now" + LeasedJobWriter.Fence;

    private const string Upsert = """
        INSERT INTO job_checkpoints (job_id, state, attempt, updated_at) VALUES (@job, @state, @attempt, @now)
        ON CONFLICT (job_id) DO UPDATE SET state = excluded.state, attempt = excluded.attempt, updated_at = excluded.updated_at
        """;

    /// <summary>Stores a checkpoint inside the caller's transaction; false (nothing written) when the lease was lost.</summary>
    public static bool Write(DbConnection connection, ClaimedJob job, string stateJson, IReadOnlyList<NewJob> followUps, int? progress, long nowMs)
    {
        var touched = connection.Execute(TouchJob, new { job = job.JobId, token = job.LeaseToken, now = nowMs, progress });
        if (touched != 1)
        {
            return false;
        }

        connection.Execute(Upsert, new { job = job.JobId, state = stateJson, attempt = job.Attempt, now = nowMs });
        foreach (var followUp in followUps)
        {
            JobSubmitter.Insert(connection, followUp, nowMs);
        }

        return true;
    }

    /// <summary>The job's last committed state, or <see langword="null"/>.</summary>
    public static string? Read(DbConnection connection, string jobId) =>
        connection.ExecuteScalar<string?>("SELECT state FROM job_checkpoints WHERE job_id = @jobId", new { jobId });

    /// <summary>Those of <paramref name="jobIds"/> that are queued or running.</summary>
    public static IReadOnlyList<string> Unfinished(DbConnection connection, IReadOnlyCollection<string> jobIds) =>
        jobIds.Count == 0
            ? []
            : connection.Query<string>($"SELECT job_id FROM jobs WHERE {SqlDialect.Of(connection).OneOf("job_id", "@jobIds")} AND status IN ('queued', 'processing')", new { jobIds = jobIds.ToArray() }).ToList();

    /// <summary>Deletes the checkpoints of jobs that no longer exist (after a purge); returns how many.</summary>
    public static int DeleteOrphans(DbConnection connection) =>
        connection.Execute("DELETE FROM job_checkpoints WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.job_id = job_checkpoints.job_id)");
}
