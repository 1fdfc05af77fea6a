using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.Pipelines.Definitions;
using MediaWorker.Pipelines.Expressions;
using MediaWorker.Storage;
using System.Data.Common;

namespace MediaWorker.Pipelines.Runs;

/// <summary>
/// Releases the steps of a run whose needs have all ended: evaluates <c>when</c>, expands
/// <c>for_each</c>, renders the parameters and inserts one job per item. The job's idempotency key
/// and the (run, step, item) key of <c>pipeline_step_jobs</c> make a second release of the same
/// step insert nothing. Steps settled here (skipped, failed on a bad expression, an empty list)
/// can release others in turn, so it repeats until nothing changes.
/// </summary>
internal sealed class StepRelease(DbConnection connection, RunState run, PipelineDefinition definition, Dictionary<string, StepState> steps, long nowMs)
{
    private TaskAvailability? _availability;

    public void ReleaseReady()
    {
        var changed = true;
        while (changed && !steps.Values.Any(s => s.Status == PipelineStatus.Failed))
        {
            changed = false;
            foreach (var step in definition.Steps)
            {
                var state = steps[step.Name];
                if (state.Status == PipelineStatus.Waiting && step.Needs.All(n => PipelineStatus.LetsDependantsRun(steps[n].Status)))
                {
                    Release(step, state);
                    changed = true;
                }
            }
        }
    }

    private void Release(StepDefinition step, StepState state)
    {
        var scope = Scope();
        if (step.When is { } when)
        {
            JsonNode? value;
            try
            {
                value = ExpressionEvaluator.Evaluate(PipelineExpressions.ParseCondition(when), scope);
            }
            catch (ExpressionException ex)
            {
                Settle(state, PipelineStatus.Failed, null, $"when: {ex.Message}");
                return;
            }

            if (!ExpressionEvaluator.IsTrue(value))
            {
                Settle(state, PipelineStatus.Skipped, null, $"when is false: {when}");
                return;
            }
        }

        _availability ??= TaskAvailability.Read(connection, nowMs);
        if (_availability.Unavailable(step.Task) is { } missing)
        {
            Settle(state, step.Optional ? PipelineStatus.Skipped : PipelineStatus.Failed, null, step.Optional ? $"optional step skipped: {missing}" : missing);
            return;
        }

        var items = new List<(JsonNode? Item, int? Index)>();
        if (step.ForEach is { } forEach)
        {
            JsonNode? list;
            try
            {
                list = ExpressionEvaluator.Evaluate(PipelineExpressions.ParseCondition(forEach), scope with { SkippedOutputSkipsStep = true });
            }
            catch (SkippedStepReferenceException ex)
            {
                Settle(state, PipelineStatus.Skipped, null, $"for_each: {ex.Message}");
                return;
            }
            catch (ExpressionException ex)
            {
                Settle(state, PipelineStatus.Failed, null, $"for_each: {ex.Message}");
                return;
            }

            if (list is not JsonArray array)
            {
                Settle(state, PipelineStatus.Failed, null, $"for_each: '{forEach}' must give a list, not {ExpressionEvaluator.Describe(list)}");
                return;
            }

            items.AddRange(array.Select((item, i) => (item, (int?)i)));
        }
        else
        {
            items.Add((null, null));
        }

        var jobs = new List<NewJob>(items.Count);
        foreach (var (item, index) in items)
        {
            JsonNode? parameters;
            try
            {
                parameters = Template.RenderValue(step.Params, scope with { Item = item, Index = index, SkippedOutputSkipsStep = true }, "params");
            }
            catch (SkippedStepReferenceException ex)
            {
                Settle(state, PipelineStatus.Skipped, null, $"skipped: {ex.Message}");
                return;
            }
            catch (ExpressionException ex)
            {
                Settle(state, PipelineStatus.Failed, null, ex.Message);
                return;
            }

            jobs.Add(new NewJob(step.Task, parameters!.ToJsonString())
            {
                Priority = step.Priority,
                MaxRetries = step.MaxRetries,
                TimeoutSeconds = step.TimeoutSeconds,
                IdempotencyKey = $"pipeline:{run.RunId}:{step.Name}:{index ?? 0}",
                CreatedBy = $"pipeline:{run.RunId}",
            });
        }

        if (jobs.Count == 0)
        {
            Settle(state, PipelineStatus.Completed, "[]", null, items: 0);
            return;
        }

        for (var i = 0; i < jobs.Count; i++)
        {
            var (jobId, _) = JobSubmitter.Insert(connection, jobs[i], nowMs);
            connection.Execute(
                "INSERT INTO pipeline_step_jobs (run_id, step, item, job_id) VALUES (@run, @step, @item, @jobId) ON CONFLICT DO NOTHING",
                new { run = run.RunId, step = step.Name, item = i, jobId });
        }

        state.Set(connection, run.RunId, PipelineStatus.Running, null, null, null, nowMs, jobs.Count);
    }

    private void Settle(StepState state, string status, string? output, string? error, long? items = null) =>
        state.Set(connection, run.RunId, status, output, error, nowMs, nowMs, items);

    private ExpressionScope Scope()
    {
        var input = (JsonObject)definition.Defaults.DeepClone();
        if (JsonNode.Parse(run.Input) is JsonObject given)
        {
            foreach (var (key, value) in given)
            {
                input[key] = value?.DeepClone();
            }
        }

        return new ExpressionScope
        {
            Input = input,
            Steps = steps.Values.ToDictionary(
                s => s.Step,
                s => new StepView(s.Status, s.Status == PipelineStatus.Completed && s.Output is not null ? JsonNode.Parse(s.Output) : null),
                StringComparer.Ordinal),
            Run = new JsonObject { ["id"] = run.RunId, ["pipeline"] = run.Pipeline, ["version"] = run.Version },
        };
    }
}

/// <summary>
/// Which task types the running workers offer, from their heartbeat rows. With no live worker at
/// all nothing is judged (workers may be starting): the jobs wait in the queue as any job does.
/// </summary>
internal sealed class TaskAvailability(IReadOnlyList<WorkerHeartbeatRow> live)
{
    public static TaskAvailability Read(DbConnection connection, long nowMs) => new(WorkerHeartbeats.Live(connection, nowMs));

    /// <summary>Why no worker can run the task type, or null when one can (or none is known).</summary>
    public string? Unavailable(string taskType)
    {
        if (live.Count == 0 || live.Any(w => Offers(w, taskType)))
        {
            return null;
        }

        return $"no running worker offers task type '{taskType}' (its plugin is not installed or not configured, e.g. no model or API key; running workers: {string.Join(", ", live.Select(w => w.WorkerId))})";
    }

    private static bool Offers(WorkerHeartbeatRow worker, string taskType)
    {
        try
        {
            return JsonNode.Parse(worker.Capabilities) is JsonArray tasks && tasks.Any(t => t is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == taskType);
        }
        catch (JsonException)
        {
            return true; // an unreadable row proves nothing: do not skip work on its account
        }
    }
}
