using Dapper;
using System.Data.Common;

namespace MediaWorker.Storage;

/// <summary>
/// Reads and writes <c>job_checkpoints</c> (schema step 6). A write is fenced like every other
/// write to a claimed job (<see cref="LeasedJobWriter.Fence"/>): the job's row is touched first,
/// and only when exactly that lease still holds are the state replaced, the follow-ups inserted,
/// the pipeline runs started and the file releases stored, all inside the caller's transaction.
/// </summary>
public static class CheckpointStore
{
    private const string TouchJob = "UPDATE jobs SET progress = COALESCE(@progress, progress), updated_at = @now" + LeasedJobWriter.Fence;

    private const string Upsert = """
        INSERT INTO job_checkpoints (job_id, state, attempt, updated_at) VALUES (@job, @state, @attempt, @now)
        ON CONFLICT (job_id) DO UPDATE SET state = excluded.state, attempt = excluded.attempt, updated_at = excluded.updated_at
        """;

    /// <summary>Stores a checkpoint inside the caller's transaction; false (nothing written) when the lease was lost.</summary>
    /// <exception cref="JobRequests.JobRequestException">A run's pipeline is not stored (the caller's transaction must roll back).</exception>
    public static bool Write(DbConnection connection, ClaimedJob job, CheckpointRows rows, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var touched = connection.Execute(TouchJob, new { job = job.JobId, token = job.LeaseToken, now = nowMs, progress = rows.Progress });
        if (touched != 1)
        {
            return false;
        }

        connection.Execute(Upsert, new { job = job.JobId, state = rows.StateJson, attempt = job.Attempt, now = nowMs });
        foreach (var followUp in rows.FollowUps)
        {
            JobSubmitter.Insert(connection, followUp, nowMs);
        }

        foreach (var run in rows.Runs)
        {
            Pipelines.Runs.PipelineRuns.Start(connection, run.Pipeline, run.InputJson, run.IdempotencyKey, nowMs, run.CreatedBy, run.RunId);
        }

        FileReleaseStore.Insert(connection, job.JobId, rows.Releases, nowMs);

        return true;
    }

    /// <summary>The job's last committed state, or <see langword="null"/>.</summary>
    public static string? Read(DbConnection connection, string jobId) =>
        connection.ExecuteScalar<string?>("SELECT state FROM job_checkpoints WHERE job_id = @jobId", new { jobId });

    /// <summary>Those of <paramref name="ids"/> that are queued or running jobs, or queued or running pipeline runs.</summary>
    public static IReadOnlyList<string> Unfinished(DbConnection connection, IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var dialect = SqlDialect.Of(connection);
        return connection.Query<string>(
            $"""
            SELECT job_id FROM jobs WHERE {dialect.OneOf("job_id", "@ids")} AND status IN ('queued', 'processing')
            UNION ALL
            SELECT run_id FROM pipeline_runs WHERE {dialect.OneOf("run_id", "@ids")} AND status IN ('queued', 'running')
            """,
            new { ids = dialect.List(ids) }).ToList();
    }

    /// <summary>Deletes the checkpoints of jobs that no longer exist (after a purge); returns how many.</summary>
    public static int DeleteOrphans(DbConnection connection) =>
        connection.Execute("DELETE FROM job_checkpoints WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.job_id = job_checkpoints.job_id)");
}
