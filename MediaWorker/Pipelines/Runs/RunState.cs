using Dapper;
using MediaWorker.Pipelines.Definitions;
using System.Data.Common;

namespace MediaWorker.Pipelines.Runs;

/// <summary>A run's row as the advancer reads and writes it.</summary>
internal sealed class RunState
{
    public string RunId { get; init; } = "";
    public string Pipeline { get; init; } = "";
    public long Version { get; init; }
    public string Status { get; set; } = "";
    public string Input { get; init; } = "{}";
    public bool CancelRequested { get; init; }
    public long? CompletedAt { get; set; }

    public static RunState? Load(DbConnection connection, string runId) =>
        connection.QuerySingleOrDefault<RunState>(
            """
            SELECT run_id AS RunId, pipeline AS Pipeline, version AS Version, status AS Status, input AS Input,
                   cancel_requested AS CancelRequested, completed_at AS CompletedAt
            FROM pipeline_runs WHERE run_id = @runId
            """,
            new { runId });

    public void Fail(DbConnection connection, string reason, long nowMs) =>
        connection.Execute(
            "UPDATE pipeline_runs SET status = 'failed', error_message = @reason, updated_at = @now, completed_at = COALESCE(completed_at, @now) WHERE run_id = @run",
            new { reason, now = nowMs, run = RunId });

    /// <summary>
    /// The run's status from its steps: cancelled once asked; failed as soon as a required step
    /// failed; completed when every step completed or was skipped; otherwise queued (nothing started
    /// yet) or running. <c>completed_at</c> is set when no step is left running.
    /// </summary>
    public void UpdateStatus(DbConnection connection, PipelineDefinition definition, Dictionary<string, StepState> steps, long nowMs)
    {
        var failed = definition.Steps.Select(s => steps[s.Name]).FirstOrDefault(s => s.Status == PipelineStatus.Failed);
        var status = CancelRequested ? PipelineStatus.Cancelled
            : failed is not null ? PipelineStatus.Failed
            : steps.Values.All(s => PipelineStatus.LetsDependantsRun(s.Status)) ? PipelineStatus.Completed
            : Status == PipelineStatus.Queued && steps.Values.All(s => s.Status is PipelineStatus.Waiting or PipelineStatus.Running) ? PipelineStatus.Queued
            : PipelineStatus.Running;
        var settled = status is not (PipelineStatus.Queued or PipelineStatus.Running) && steps.Values.All(s => s.Status != PipelineStatus.Running);
        var error = failed is not null ? $"step '{failed.Step}' failed: {failed.Error}" : null;
        long? completedAt = settled ? CompletedAt ?? nowMs : null;
        if (status == Status && completedAt == CompletedAt && (failed is null || CancelRequested))
        {
            return;
        }

        connection.Execute(
            """
            UPDATE pipeline_runs SET status = @status, updated_at = @now, completed_at = @completedAt,
                error_message = CASE WHEN @cancelled = 1 THEN error_message ELSE @error END
            WHERE run_id = @run
            """,
            new { status, now = nowMs, completedAt, error, cancelled = CancelRequested ? 1 : 0, run = RunId });
        Status = status;
        CompletedAt = completedAt;
    }
}

/// <summary>One step's row of a run.</summary>
internal sealed class StepState
{
    public string Step { get; init; } = "";
    public string Status { get; set; } = PipelineStatus.Waiting;
    public long? Items { get; set; }
    public string? Output { get; set; }
    public string? Error { get; set; }

    public static Dictionary<string, StepState> LoadAll(DbConnection connection, string runId) =>
        connection.Query<StepState>(
            "SELECT step AS Step, status AS Status, items AS Items, output AS Output, error_message AS Error FROM pipeline_steps WHERE run_id = @runId",
            new { runId }).ToDictionary(s => s.Step, StringComparer.Ordinal);

    /// <summary>Writes the step's new state when it differs from the one read.</summary>
    public void Set(DbConnection connection, string runId, string status, string? output, string? error, long? completedAt, long nowMs, long? items = null)
    {
        if (status == Status && output == Output && error == Error && items is null)
        {
            return;
        }

        connection.Execute(
            """
            UPDATE pipeline_steps SET status = @status, output = @output, error_message = @error, completed_at = @completedAt,
                items = COALESCE(@items, items), started_at = CASE WHEN @status = 'running' THEN COALESCE(started_at, @now) ELSE started_at END
            WHERE run_id = @runId AND step = @step
            """,
            new { status, output, error, completedAt, items, now = nowMs, runId, step = Step });
        Status = status;
        Output = output;
        Error = error;
        Items = items ?? Items;
    }
}
