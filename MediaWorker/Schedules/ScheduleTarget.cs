using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaWorker.Schedules;

/// <summary>
/// What an occurrence starts, stored as JSON with a <c>kind</c>: a <c>job</c> or a <c>pipeline</c>
/// run. The shape is closed on purpose: a new kind is one more subtype here, one more case in
/// <see cref="FromJson"/> and one in <see cref="ScheduleFiring"/>'s start.
/// </summary>
public abstract record ScheduleTarget
{
    /// <summary>The stored discriminator.</summary>
    public abstract string Kind { get; }

    /// <summary>One line for listings, e.g. <c>job image_resize (priority 5)</c>.</summary>
    public abstract string Describe();

    public abstract JsonObject ToJson();

    public string ToJsonString() => ToJson().ToJsonString();

    /// <summary>Reads a stored target; a <see cref="FormatException"/> names what is wrong.</summary>
    public static ScheduleTarget FromJson(string json)
    {
        JsonObject target;
        try
        {
            target = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("the schedule's target is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the schedule's target is not valid JSON: {ex.Message}", ex);
        }

        var kind = target["kind"]?.GetValueKind() == JsonValueKind.String ? target["kind"]!.GetValue<string>() : null;
        return kind switch
        {
            JobTarget.KindName => JobTarget.FromJson(target),
            PipelineTarget.KindName => PipelineTarget.FromJson(target),
            _ => throw new FormatException($"the schedule's target kind '{kind ?? "(none)"}' is not one this MediaWorker starts (job, pipeline)"),
        };
    }
}

/// <summary>An occurrence submits one job of <see cref="TaskType"/> with these parameters.</summary>
public sealed record JobTarget(string TaskType, string ParamsJson, int Priority, int MaxRetries, double? TimeoutSeconds) : ScheduleTarget
{
    public const string KindName = "job";

    public override string Kind => KindName;

    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"job {TaskType} (priority {Priority})");

    public override JsonObject ToJson() => new()
    {
        ["kind"] = KindName,
        ["task_type"] = TaskType,
        ["params"] = JsonNode.Parse(ParamsJson),
        ["priority"] = Priority,
        ["max_retries"] = MaxRetries,
        ["timeout_seconds"] = TimeoutSeconds,
    };

    internal static JobTarget FromJson(JsonObject target)
    {
        try
        {
            var taskType = target["task_type"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(taskType))
            {
                throw new FormatException("the schedule's job target has no task_type");
            }

            return new JobTarget(
                taskType,
                target["params"] is JsonObject parameters ? parameters.ToJsonString() : "{}",
                target["priority"]?.GetValue<int>() ?? 5,
                target["max_retries"]?.GetValue<int>() ?? 3,
                target["timeout_seconds"]?.GetValue<double>());
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException)
        {
            throw new FormatException($"the schedule's job target is malformed: {ex.Message}", ex);
        }
    }
}

/// <summary>An occurrence starts one run of the stored pipeline <see cref="Pipeline"/> (its latest version) with this input.</summary>
public sealed record PipelineTarget(string Pipeline, string InputJson) : ScheduleTarget
{
    public const string KindName = "pipeline";

    public override string Kind => KindName;

    public override string Describe() => $"pipeline {Pipeline}";

    public override JsonObject ToJson() => new()
    {
        ["kind"] = KindName,
        ["pipeline"] = Pipeline,
        ["input"] = JsonNode.Parse(InputJson),
    };

    internal static PipelineTarget FromJson(JsonObject target)
    {
        try
        {
            var pipeline = target["pipeline"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(pipeline))
            {
                throw new FormatException("the schedule's pipeline target names no pipeline");
            }

            return new PipelineTarget(pipeline, target["input"] is JsonObject input ? input.ToJsonString() : "{}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException)
        {
            throw new FormatException($"the schedule's pipeline target is malformed: {ex.Message}", ex);
        }
    }
}
