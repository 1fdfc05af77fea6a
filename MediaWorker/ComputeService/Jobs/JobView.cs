using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Storage;

namespace MediaWorker.ComputeService.Jobs;

/// <summary>
/// A job as the seed's <c>GET /jobs/{id}</c> shows it (schemas.py JobResponse): times in epoch ms,
/// <c>params</c> an object, <c>task_output</c> an object or null, and <c>failed</c> (never the
/// seed's <c>error</c>) for a failed job: the SDK waits for completed or failed.
/// </summary>
public static class JobView
{
    public static JsonObject ToJson(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JsonObject
        {
            ["job_id"] = job.JobId,
            ["task_type"] = job.TaskType,
            ["status"] = JobStatus.Normalize(job.Status),
            ["progress"] = job.Progress,
            ["params"] = ObjectOrNull(job.Params) ?? new JsonObject(),
            ["task_output"] = ObjectOrNull(job.Output),
            ["error_message"] = job.ErrorMessage,
            ["priority"] = job.Priority,
            ["created_at"] = job.CreatedAt ?? 0,
            ["updated_at"] = job.UpdatedAt,
            ["started_at"] = job.StartedAt,
            ["completed_at"] = job.CompletedAt,
        };
    }

    /// <summary>A JSON object column; a foreign producer's non-object or broken JSON reads as null rather than failing the request.</summary>
    private static JsonObject? ObjectOrNull(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
