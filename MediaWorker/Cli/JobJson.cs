using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary>A job row as JSON for scripts: the column names, with params and output as JSON values.</summary>
public static class JobJson
{
    internal static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject ToJson(JobRecord job)
    {
        var json = Columns(job);
        if (job.ReadProblems.Count > 0)
        {
            json["read_problems"] = new JsonArray([.. job.ReadProblems.Select(p => (JsonNode?)JsonValue.Create(p))]);
        }

        return json;
    }

    private static JsonObject Columns(JobRecord job) => new()
    {
        ["id"] = job.Id,
        ["job_id"] = job.JobId,
        ["task_type"] = job.TaskType,
        ["status"] = job.Status,
        ["params"] = ParseOrText(job.Params),
        ["output"] = ParseOrText(job.Output),
        ["error_message"] = job.ErrorMessage,
        ["priority"] = job.Priority,
        ["progress"] = job.Progress,
        ["attempts"] = job.Attempts,
        ["retry_count"] = job.RetryCount,
        ["max_retries"] = job.MaxRetries,
        ["created_at"] = job.CreatedAt,
        ["started_at"] = job.StartedAt,
        ["completed_at"] = job.CompletedAt,
        ["updated_at"] = job.UpdatedAt,
        ["run_after"] = job.RunAfter,
        ["timeout_seconds"] = job.TimeoutSeconds,
        ["idempotency_key"] = job.IdempotencyKey,
        ["parent_job_id"] = job.ParentJobId,
        ["worker_id"] = job.WorkerId,
        ["lease_owner"] = job.LeaseOwner,
        ["lease_expires_at"] = job.LeaseExpiresAt,
        ["cancel_requested"] = job.CancelRequested != 0,
        ["created_by"] = job.CreatedBy,
    };

    public static string Compact(JobRecord job) => ToJson(job).ToJsonString();

    public static string Pretty(JobRecord job) => ToJson(job).ToJsonString(Indented);

    private static JsonNode? ParseOrText(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
