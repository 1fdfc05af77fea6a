using System.Text.Json.Nodes;
using Dapper;
using System.Data.Common;

namespace MediaWorker.Pipelines.Runs;

/// <summary>One line of <c>pipeline runs</c>.</summary>
public sealed record PipelineRunSummary
{
    public string RunId { get; init; } = "";
    public string Pipeline { get; init; } = "";
    public long Version { get; init; }
    public string Status { get; init; } = "";
    public string? Error { get; init; }
    public long CreatedAt { get; init; }
    public long? CompletedAt { get; init; }
}

/// <summary>A step of a run as <c>pipeline run-status</c> shows it.</summary>
public sealed record PipelineStepView
{
    public string Step { get; init; } = "";
    public string Status { get; init; } = "";
    public long? Items { get; init; }
    public string? Output { get; init; }
    public string? Error { get; init; }
    public long? StartedAt { get; init; }
    public long? CompletedAt { get; init; }
    public IReadOnlyList<string> Jobs { get; init; } = [];
}

/// <summary>A run with the state of each of its steps.</summary>
public sealed record PipelineRunView(PipelineRunSummary Run, string Input, IReadOnlyList<PipelineStepView> Steps)
{
    /// <summary>
    /// The run's status as a reader should see it: a run whose first jobs a worker has claimed is
    /// running, though its row says queued until a step ends (claims do not touch the run).
    /// </summary>
    public string Status { get; init; } = Run.Status;

    internal static PipelineRunView? Load(DbConnection connection, string runId)
    {
        var run = connection.QuerySingleOrDefault<PipelineRunSummary>(
            """
            SELECT run_id AS RunId, pipeline AS Pipeline, version AS Version, status AS Status, error_message AS Error,
                   created_at AS CreatedAt, completed_at AS CompletedAt
            FROM pipeline_runs WHERE run_id = @runId
            """,
            new { runId });
        if (run is null)
        {
            return null;
        }

        var input = connection.ExecuteScalar<string?>("SELECT input FROM pipeline_runs WHERE run_id = @runId", new { runId });
        var jobs = connection.Query<(string Step, string JobId)>("SELECT step, job_id FROM pipeline_step_jobs WHERE run_id = @runId ORDER BY step, item", new { runId })
            .ToLookup(j => j.Step, j => j.JobId, StringComparer.Ordinal);
        var steps = connection.Query<PipelineStepView>(
            """
            SELECT step AS Step, status AS Status, items AS Items, output AS Output, error_message AS Error,
                   started_at AS StartedAt, completed_at AS CompletedAt
            FROM pipeline_steps WHERE run_id = @runId ORDER BY COALESCE(started_at, 9223372036854775807), step
            """,
            new { runId }).Select(s => s with { Jobs = [.. jobs[s.Step]] }).ToList();
        var status = run.Status;
        if (status == PipelineStatus.Queued && connection.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM jobs WHERE status <> 'queued' AND job_id IN (SELECT job_id FROM pipeline_step_jobs WHERE run_id = @runId)", new { runId }) > 0)
        {
            status = PipelineStatus.Running;
        }

        return new PipelineRunView(run, input ?? "{}", steps) { Status = status };
    }

    /// <summary>The JSON the CLI prints and the API returns.</summary>
    public JsonObject ToJson() => new()
    {
        ["run_id"] = Run.RunId,
        ["pipeline"] = Run.Pipeline,
        ["version"] = Run.Version,
        ["status"] = Status,
        ["error"] = Run.Error,
        ["input"] = JsonNode.Parse(Input),
        ["created_at"] = Run.CreatedAt,
        ["completed_at"] = Run.CompletedAt,
        ["steps"] = new JsonArray([.. Steps.Select(s => (JsonNode)new JsonObject
        {
            ["step"] = s.Step,
            ["status"] = s.Status,
            ["items"] = s.Items,
            ["jobs"] = new JsonArray([.. s.Jobs.Select(j => (JsonNode)JsonValue.Create(j))]),
            ["error"] = s.Error,
            ["started_at"] = s.StartedAt,
            ["completed_at"] = s.CompletedAt,
            ["output"] = s.Output is null ? null : JsonNode.Parse(s.Output),
        })]),
    };
}
