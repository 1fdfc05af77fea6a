using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.Pipelines.Definitions;
using MediaWorker.Storage;
using System.Data.Common;

namespace MediaWorker.Pipelines.Runs;

/// <summary>
/// Moves pipeline runs forward, always inside the caller's write transaction: the one that writes
/// a step job's outcome (<see cref="LeasedJobWriter"/>), reaps an expired lease, or cancels or
/// retries a job. Each call recomputes the run from its rows (a step's state from its jobs', the
/// run's from its steps'), so it is idempotent: a crash before the commit loses the outcome and the
/// released jobs together, and a second call changes nothing.
/// </summary>
public static class StepAdvancer
{
    private const string Terminal = "('completed', 'failed', 'cancelled', 'error')";

    /// <summary>After outcomes were written: advances the runs of the step jobs among them that ended.</summary>
    public static void AfterOutcomes(DbConnection connection, IReadOnlyList<(ClaimedJob Job, JobOutcome Outcome)> batch, bool[] applied, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(applied);
        List<string>? ended = null;
        for (var i = 0; i < batch.Count; i++)
        {
            if (applied[i] && batch[i].Outcome.Kind is OutcomeKind.Completed or OutcomeKind.Failed or OutcomeKind.Cancelled)
            {
                (ended ??= []).Add(batch[i].Job.JobId);
            }
        }

        if (ended is not null)
        {
            JobsChanged(connection, ended, nowMs);
        }
    }

    /// <summary>Advances the runs that <paramref name="jobIds"/> belong to (most jobs belong to none: one indexed look-up).</summary>
    public static void JobsChanged(DbConnection connection, IReadOnlyCollection<string> jobIds, long nowMs)
    {
        var dialect = SqlDialect.Of(connection);
        var touched = StatementCache.Query(
            connection,
            $"SELECT run_id, step FROM pipeline_step_jobs WHERE {dialect.OneOf("job_id", "@jobIds")}",
            [("@jobIds", dialect.List(jobIds))],
            r => (RunId: r.GetString(0), Step: r.GetString(1)));
        foreach (var run in touched.GroupBy(t => t.RunId, StringComparer.Ordinal))
        {
            Advance(connection, run.Key, nowMs, run.Select(t => t.Step).ToHashSet(StringComparer.Ordinal));
        }
    }

    /// <summary>Advances every run with a running step whose jobs ended without an outcome write (lease reaper).</summary>
    public static void Sweep(DbConnection connection, long nowMs)
    {
        var runs = connection.Query<string>(
            $"""
            SELECT DISTINCT s.run_id FROM pipeline_steps s
            JOIN pipeline_step_jobs sj ON sj.run_id = s.run_id AND sj.step = s.step
            JOIN jobs j ON j.job_id = sj.job_id
            WHERE s.status = 'running' AND j.status IN {Terminal}
            """).ToList();
        foreach (var run in runs)
        {
            Advance(connection, run, nowMs, null);
        }
    }

    /// <summary>Recomputes one run: settles steps whose jobs all ended, releases the steps now ready, sets the run's status.</summary>
    /// <param name="connection">Inside the caller's write transaction.</param>
    /// <param name="runId">The run.</param>
    /// <param name="nowMs">The clock.</param>
    /// <param name="touched">Steps whose jobs changed (they are recomputed whatever their status); running steps always are.</param>
    public static void Advance(DbConnection connection, string runId, long nowMs, IReadOnlySet<string>? touched)
    {
        var run = RunState.Load(connection, runId);
        if (run is null)
        {
            return;
        }

        PipelineDefinition? definition;
        try
        {
            definition = PipelineStore.Load(connection, run.Pipeline, run.Version);
        }
        catch (Validation.PipelineValidationException ex)
        {
            run.Fail(connection, $"The stored definition {run.Pipeline} v{run.Version} no longer reads: {ex.Message}", nowMs);
            return;
        }

        if (definition is null)
        {
            run.Fail(connection, $"The definition {run.Pipeline} v{run.Version} is not stored any more.", nowMs);
            return;
        }

        var steps = StepState.LoadAll(connection, runId);
        SettleSteps(connection, run, definition, steps, touched, nowMs);
        if (!run.CancelRequested && !steps.Values.Any(s => s.Status == PipelineStatus.Failed))
        {
            new StepRelease(connection, run, definition, steps, nowMs).ReleaseReady();
        }

        run.UpdateStatus(connection, definition, steps, nowMs);
    }

    private static void SettleSteps(DbConnection connection, RunState run, PipelineDefinition definition, Dictionary<string, StepState> steps, IReadOnlySet<string>? touched, long nowMs)
    {
        var recompute = steps.Values
            .Where(s => s.Status == PipelineStatus.Running || (touched?.Contains(s.Step) ?? false))
            .ToList();
        if (recompute.Count == 0)
        {
            return;
        }

        var jobs = connection.Query<(string Step, long Item, string JobId, string? Status, string? Error)>(
            """
            SELECT sj.step, sj.item, sj.job_id, j.status, j.error_message FROM pipeline_step_jobs sj
            LEFT JOIN jobs j ON j.job_id = sj.job_id WHERE sj.run_id = @runId ORDER BY sj.step, sj.item
            """,
            new { runId = run.RunId }).ToLookup(j => j.Step, StringComparer.Ordinal);
        foreach (var step in recompute)
        {
            var items = jobs[step.Step].ToList();
            if (items.Count == 0)
            {
                continue; // settled at release (skipped, an empty for_each): no job decides it
            }

            if (items.Any(j => j.Status is JobStatus.Queued or JobStatus.Processing))
            {
                step.Set(connection, run.RunId, PipelineStatus.Running, null, null, null, nowMs);
                continue;
            }

            var broken = items.FirstOrDefault(j => j.Status != JobStatus.Completed);
            if (broken.JobId is null)
            {
                step.Set(connection, run.RunId, PipelineStatus.Completed, OutputOf(connection, items.Select(j => j.JobId).ToList(), definition.Step(step.Step)?.ForEach is not null), null, nowMs, nowMs);
                continue;
            }

            var reason = broken.Status is null
                ? $"its job {broken.JobId} is gone from the jobs table (purged?)"
                : $"job {broken.JobId}{(items.Count > 1 ? $" (item {broken.Item})" : string.Empty)} {JobStatus.Normalize(broken.Status)}: {broken.Error ?? "no reason recorded"}";
            var optional = definition.Step(step.Step)?.Optional ?? false;
            var status = run.CancelRequested ? PipelineStatus.Cancelled : optional ? PipelineStatus.Skipped : PipelineStatus.Failed;
            step.Set(connection, run.RunId, status, null, status == PipelineStatus.Skipped ? $"optional step skipped: {reason}" : reason, nowMs, nowMs);
        }
    }

    /// <summary>A single job's output, or for a for_each step the list of every item's output in item order.</summary>
    private static string OutputOf(DbConnection connection, List<string> jobIds, bool fanOut)
    {
        var outputs = connection.Query<(string JobId, string? Output)>($"SELECT job_id, output FROM jobs WHERE {SqlDialect.Of(connection).OneOf("job_id", "@jobIds")}", new { jobIds = SqlDialect.Of(connection).List(jobIds) })
            .ToDictionary(o => o.JobId, o => o.Output, StringComparer.Ordinal);
        JsonNode? Parse(string id) => outputs.TryGetValue(id, out var text) && text is not null ? JsonNode.Parse(text) : null;
        if (!fanOut)
        {
            return Parse(jobIds[0])?.ToJsonString() ?? "{}";
        }

        return new JsonArray([.. jobIds.Select(Parse)]).ToJsonString();
    }
}
