using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.JobRequests;
using MediaWorker.Storage;
using System.Data.Common;

namespace MediaWorker.Pipelines.Runs;

/// <summary>
/// Starting, cancelling and retrying pipeline runs: the entry point for the CLI, the HTTP API and
/// schedules. Each call is one write transaction; refusals are <see cref="JobRequestException"/>s.
/// </summary>
public static class PipelineRuns
{
    /// <summary>
    /// Starts a run of the newest stored version of <paramref name="pipeline"/> and releases its first
    /// steps, in one transaction. With an idempotency key seen before, returns that run instead.
    /// </summary>
    /// <param name="connection">An open, migrated connection outside any transaction (or inside the caller's).</param>
    /// <param name="pipeline">A stored pipeline's name (<see cref="PipelineStore.Save"/>).</param>
    /// <param name="inputJson">The run's input, a JSON object; null for {}.</param>
    /// <param name="idempotencyKey">Null, or a key that makes a second start return the first run (a schedule's occurrence key).</param>
    /// <param name="nowMs">The clock.</param>
    /// <param name="createdBy">Who started it (cli, api, schedule:NAME, job:ID).</param>
    /// <param name="runId">The id the new run gets; null for a new uuid.</param>
    /// <returns>The run id and whether it is new.</returns>
    public static (string RunId, bool Created) Start(DbConnection connection, string pipeline, string? inputJson, string? idempotencyKey, long nowMs, string? createdBy = null, string? runId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pipeline);
        var input = ParseInput(inputJson);
        using var transaction = WriteTransaction.Begin(connection);
        var version = PipelineStore.LatestVersion(connection, pipeline)
            ?? throw new JobRequestException(JobRequestFailure.NotFound, $"No pipeline '{pipeline}' is stored; store it first (mediaworker pipeline run FILE stores the file's pipeline).");
        var definition = PipelineStore.Load(connection, pipeline, version)!;
        runId ??= RowIds.New();
        var inserted = connection.Execute(
            """
            INSERT INTO pipeline_runs (run_id, pipeline, version, status, input, idempotency_key, created_by, created_at, updated_at)
            VALUES (@runId, @pipeline, @version, 'queued', @input, @idempotencyKey, @createdBy, @now, @now)
            ON CONFLICT DO NOTHING
            """,
            new { runId, pipeline, version, input, idempotencyKey, createdBy, now = nowMs });
        if (inserted == 0)
        {
            var existing = connection.ExecuteScalar<string?>("SELECT run_id FROM pipeline_runs WHERE idempotency_key = @idempotencyKey", new { idempotencyKey });
            transaction.Commit();
            return (existing!, false);
        }

        foreach (var step in definition.Steps)
        {
            connection.Execute("INSERT INTO pipeline_steps (run_id, step, status) VALUES (@runId, @step, 'waiting')", new { runId, step = step.Name });
        }

        StepAdvancer.Advance(connection, runId, nowMs, null);
        transaction.Commit();
        return (runId, true);
    }

    /// <summary>
    /// Cancels a queued or running run: steps not released yet are cancelled, queued step jobs are
    /// cancelled at once and running ones asked to stop; the run ends when they have.
    /// </summary>
    public static void Cancel(DbConnection connection, string runId, long nowMs)
    {
        using var transaction = WriteTransaction.Begin(connection);
        var status = StatusOf(connection, runId);
        if (status is not (PipelineStatus.Queued or PipelineStatus.Running))
        {
            throw new JobRequestException(JobRequestFailure.Conflict, $"Run '{runId}' is {status}; only queued or running runs can be cancelled.");
        }

        var jobs = new { runId, now = nowMs };
        connection.Execute("UPDATE pipeline_runs SET cancel_requested = 1, status = 'cancelled', error_message = 'Cancelled on request.', updated_at = @now WHERE run_id = @runId", jobs);
        connection.Execute("UPDATE pipeline_steps SET status = 'cancelled', completed_at = @now WHERE run_id = @runId AND status = 'waiting'", jobs);
        connection.Execute(
            """
            UPDATE jobs SET status = 'cancelled', completed_at = @now, updated_at = @now, error_message = 'Cancelled with its pipeline run.'
            WHERE status = 'queued' AND job_id IN (SELECT job_id FROM pipeline_step_jobs WHERE run_id = @runId)
            """,
            jobs);
        connection.Execute(
            "UPDATE jobs SET cancel_requested = 1, updated_at = @now WHERE status = 'processing' AND job_id IN (SELECT job_id FROM pipeline_step_jobs WHERE run_id = @runId)",
            jobs);
        StepAdvancer.Advance(connection, runId, nowMs, null);
        transaction.Commit();
    }

    /// <summary>
    /// Resumes a failed or cancelled run from where it stopped: the failed and cancelled jobs of its
    /// steps are queued again with fresh attempts, steps never released wait again, and completed
    /// steps (and completed items of a for_each step) are kept.
    /// </summary>
    public static void Retry(DbConnection connection, string runId, long nowMs)
    {
        using var transaction = WriteTransaction.Begin(connection);
        var status = StatusOf(connection, runId);
        if (status is not (PipelineStatus.Failed or PipelineStatus.Cancelled))
        {
            throw new JobRequestException(JobRequestFailure.Conflict, $"Run '{runId}' is {status}; only failed or cancelled runs can be retried.");
        }

        var stopping = connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM jobs WHERE status = 'processing' AND cancel_requested = 1 AND job_id IN (SELECT job_id FROM pipeline_step_jobs WHERE run_id = @runId)", new { runId });
        if (stopping > 0)
        {
            throw new JobRequestException(JobRequestFailure.Conflict, $"Run '{runId}' still has {stopping} job(s) stopping after its cancellation; retry when they have stopped (a second or so).");
        }

        var broken = connection.Query<(string Step, string JobId)>(
            """
            SELECT sj.step, sj.job_id FROM pipeline_step_jobs sj JOIN pipeline_steps s ON s.run_id = sj.run_id AND s.step = sj.step
            JOIN jobs j ON j.job_id = sj.job_id
            WHERE sj.run_id = @runId AND s.status IN ('failed', 'cancelled') AND j.status IN ('failed', 'cancelled', 'error')
            """,
            new { runId }).ToList();
        foreach (var (_, jobId) in broken)
        {
            JobAdministration.Retry(connection, jobId, nowMs);
        }

        var args = new { runId, now = nowMs };
        connection.Execute(
            """
            UPDATE pipeline_steps SET error_message = NULL, completed_at = NULL,
                status = CASE WHEN EXISTS (SELECT 1 FROM pipeline_step_jobs sj WHERE sj.run_id = pipeline_steps.run_id AND sj.step = pipeline_steps.step) THEN 'running' ELSE 'waiting' END
            WHERE run_id = @runId AND status IN ('failed', 'cancelled')
            """,
            args);
        connection.Execute("UPDATE pipeline_runs SET status = 'running', cancel_requested = 0, error_message = NULL, completed_at = NULL, updated_at = @now WHERE run_id = @runId", args);
        StepAdvancer.Advance(connection, runId, nowMs, null);
        transaction.Commit();
    }

    /// <summary>The run with its steps, or null.</summary>
    public static PipelineRunView? Find(DbConnection connection, string runId) => PipelineRunView.Load(connection, runId);

    /// <summary>Runs, newest first, optionally of one pipeline or one status.</summary>
    public static IReadOnlyList<PipelineRunSummary> List(DbConnection connection, string? pipeline, string? status, int limit) =>
        connection.Query<PipelineRunSummary>(
            $"""
            SELECT run_id AS RunId, pipeline AS Pipeline, version AS Version, status AS Status, error_message AS Error,
                   created_at AS CreatedAt, completed_at AS CompletedAt
            FROM pipeline_runs
            WHERE (@pipeline IS NULL OR pipeline = @pipeline) AND (@status IS NULL OR status = @status)
            ORDER BY created_at DESC, run_id LIMIT @limit
            """,
            new { pipeline, status, limit }).ToList();

    private static string StatusOf(DbConnection connection, string runId) =>
        connection.ExecuteScalar<string?>("SELECT status FROM pipeline_runs WHERE run_id = @runId", new { runId })
            ?? throw new JobRequestException(JobRequestFailure.NotFound, $"No pipeline run '{runId}'.");

    private static string ParseInput(string? inputJson)
    {
        if (string.IsNullOrWhiteSpace(inputJson))
        {
            return "{}";
        }

        try
        {
            return JsonNode.Parse(inputJson) is JsonObject input
                ? input.ToJsonString()
                : throw new Cli.UsageException("The run's input must be a JSON object, e.g. {\"path\": \"/media/a.mp4\"}.");
        }
        catch (JsonException ex)
        {
            throw new Cli.UsageException($"The run's input is not valid JSON: {ex.Message}", ex);
        }
    }
}
