using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Cli;
using MediaWorker.Files.Native;
using MediaWorker.Http.Hosting;
using MediaWorker.JobRequests;
using MediaWorker.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaWorker.Http.Api;

/// <summary>The JSON body of <c>POST /api/jobs</c> (documented in the OpenAPI document).</summary>
/// <param name="task_type">The task type, e.g. noop, sleep, image_resize.</param>
/// <param name="params">Parameters as a JSON object.</param>
/// <param name="priority">Higher runs first (default 5).</param>
/// <param name="max_retries">Retries after the first attempt (default 3).</param>
/// <param name="idempotency_key">Submitting twice with the same key returns the first job (or the Idempotency-Key header).</param>
/// <param name="run_after">Not before this time: ISO 8601, or a delay such as 30s, 5m.</param>
/// <param name="timeout_seconds">Seconds one attempt may run (default: the task's).</param>
/// <param name="webhook_url">POST how the job ended to this URL (signed with WEBHOOK_JOB_SECRET; must match WEBHOOK_ALLOWED_URL_PREFIXES).</param>
#pragma warning disable CA1707, IDE1006 // the JSON names are the API's, and the same as the jobs table's columns
public sealed record SubmitBody(string task_type, JsonObject? @params, int? priority, int? max_retries, string? idempotency_key, string? run_after, double? timeout_seconds, string? webhook_url);
#pragma warning restore CA1707, IDE1006

/// <summary>
/// <c>/api/jobs</c>: submit, list, get, cancel, retry, purge, and a job's output files. Every change
/// goes through <see cref="JobActions"/>, the code the CLI runs, with its validation and messages.
/// </summary>
internal static class JobEndpoints
{
    private const int MaxPage = 1000;
    private const int MaxFilesListed = 1000;

    public static void Map(IEndpointRouteBuilder app, OperationsContext context)
    {
        var jobs = app.MapGroup("/api/jobs").WithTags("jobs");
        jobs.MapPost("", (HttpRequest request) => ApiCalls.RunAsync(() => SubmitAsync(request, context)))
            .WithSummary("Submit a job")
            .WithDescription("Same validation and idempotency key as `mediaworker submit`. 201 with the new job; 200 with the earlier job when the idempotency key matched.")
            .Accepts<SubmitBody>("application/json");
        jobs.MapGet("", (string? status, string? task_type, string? created_from, string? created_until, long? cursor, int? limit) =>
                ApiCalls.Run(() => List(context, status, task_type, created_from, created_until, cursor, limit)))
            .WithSummary("List jobs, newest first")
            .WithDescription("Filters: status, task_type, created_from/created_until (epoch ms or ISO 8601). Paging: limit (1-1000, default 50) and cursor (the next_cursor of the previous page).");
        jobs.MapGet("/{jobId}", (string jobId) => ApiCalls.Run(() => WithActions(context, a => Results.Json(JobJson.ToJson(a.Find(jobId))))))
            .WithSummary("One job, with its parameters, output and error");
        jobs.MapPost("/{jobId}/cancel", (string jobId) => ApiCalls.Run(() => WithActions(context, a => Cancel(a, jobId))))
            .WithSummary("Cancel a job: a queued one at once, a running one within about a second");
        jobs.MapPost("/{jobId}/retry", (string jobId) => ApiCalls.Run(() => WithActions(context, a =>
            {
                a.Retry(jobId);
                var job = a.Find(jobId);
                context.Tracker.Observe(job.JobId, job.TaskType, job.Status, job.Attempts, job.Progress, null, null, job.UpdatedAt ?? context.Clock());
                return Results.Json(JobJson.ToJson(job));
            })))
            .WithSummary("Queue a failed or cancelled job again, with fresh attempts");
        jobs.MapPost("/purge", (string? older_than, string? status, bool? keep_files) => ApiCalls.Run(() => Purge(context, older_than, status, keep_files)))
            .WithSummary("Delete finished jobs older than older_than (e.g. 7d), with their job folders unless keep_files");
        jobs.MapGet("/{jobId}/files", (string jobId) => ApiCalls.Run(() => ListFiles(context, jobId)))
            .WithSummary("The files in the job's output folder");
        jobs.MapGet("/{jobId}/files/{**path}", (string jobId, string path) => ApiCalls.Run(() => Download(context, jobId, path)))
            .WithSummary("Download one output file; only files inside the job's output folder are served");
    }

    private static IResult WithActions(OperationsContext context, Func<JobActions, IResult> work)
    {
        using var lease = context.Connections.Rent();
        return work(new JobActions(lease.Connection, context.Settings.Store.Location, context.Clock));
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, OperationsContext context)
    {
        var submit = ToRequest(context, await JsonBody.ReadObjectAsync(request, "{\"task_type\": \"noop\", \"params\": {}}"));
        if (request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } header)
        {
            submit = submit with { IdempotencyKey = submit.IdempotencyKey ?? header };
        }

        return WithActions(context, actions =>
        {
            var (job, created) = actions.Submit(submit);
            var json = JobJson.ToJson(job);
            if (created)
            {
                // Announced here, after the commit: a worker may claim the job before the change feed reads it.
                context.Tracker.Observe(job.JobId, job.TaskType, job.Status, job.Attempts, job.Progress, null, null, job.CreatedAt ?? context.Clock());
                return Results.Created($"/api/jobs/{job.JobId}", json);
            }

            request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
            return Results.Json(json);
        });
    }

    private static SubmitRequest ToRequest(OperationsContext context, JsonObject body)
    {
        var taskType = JsonBody.Field<string>(body, "task_type") ?? throw new UsageException("task_type is missing; give one such as noop, sleep or image_resize.");
        return new SubmitRequest(taskType, JsonBody.Params(body))
        {
            Priority = JsonBody.Field<int?>(body, "priority") ?? 5,
            MaxRetries = JsonBody.Field<int?>(body, "max_retries") ?? 3,
            IdempotencyKey = JsonBody.Field<string>(body, "idempotency_key"),
            RunAfter = JsonBody.Field<string>(body, "run_after"),
            TimeoutSeconds = JsonBody.Field<double?>(body, "timeout_seconds"),
            CreatedBy = "mediaworker-api",
            WebhookUrl = JsonBody.Field<string>(body, "webhook_url"),
            WebhookUrls = context.Settings.Webhooks.AllowedUrls,
        };
    }

    private static IResult List(OperationsContext context, string? status, string? taskType, string? from, string? until, long? cursor, int? limit)
    {
        if (status is not null && !JobStatus.All.Contains(status))
        {
            throw new UsageException($"status: '{status}' is not one of {string.Join(", ", JobStatus.All)}.");
        }

        if (limit is < 1 or > MaxPage)
        {
            throw new UsageException($"limit: {limit} is not from 1 to {MaxPage}.");
        }

        var filter = new JobFilter(status, string.IsNullOrEmpty(taskType) ? null : taskType, ApiCalls.Time(from, "created_from"), ApiCalls.Time(until, "created_until"), cursor, limit ?? 50);
        using var lease = context.Connections.Rent();
        var rows = JobQueries.List(lease.Connection, filter);
        return Results.Json(new JsonObject
        {
            ["jobs"] = new JsonArray([.. rows.Select(r => (JsonNode)JobJson.ToJson(r))]),
            ["next_cursor"] = rows.Count == filter.Limit ? rows[^1].Id : null,
        });
    }

    private static IResult Cancel(JobActions actions, string jobId)
    {
        var result = actions.Cancel(jobId);
        return Results.Json(
            new JsonObject
            {
                ["job_id"] = jobId,
                ["result"] = result == CancelResult.Cancelled ? "cancelled" : "cancel_requested",
                ["message"] = result == CancelResult.Cancelled ? $"{jobId} cancelled" : $"{jobId} is running; its worker was asked to stop it",
            },
            statusCode: result == CancelResult.Cancelled ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    private static IResult Purge(OperationsContext context, string? olderThan, string? status, bool? keepFiles)
    {
        var age = DurationParser.Parse(olderThan ?? throw new UsageException("older_than is missing; e.g. older_than=7d."), "older_than");
        if (status is not null && status is not (JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled))
        {
            throw new UsageException($"status: '{status}' is not one of completed, failed, cancelled.");
        }

        using var lease = context.Connections.Rent();
        var (purged, folders) = new JobActions(lease.Connection, context.Settings.Store.Location, context.Clock)
            .Purge(age, status, context.Settings.ComputeStorageDirectory, keepFiles ?? false);
        return Results.Json(new JsonObject
        {
            ["purged"] = purged.Count,
            ["folders"] = folders,
            ["job_ids"] = new JsonArray([.. purged.Select(id => (JsonNode)id)]),
        });
    }

    private static IResult ListFiles(OperationsContext context, string jobId)
    {
        _ = WithActions(context, a => Results.Json(JobJson.ToJson(a.Find(jobId))));
        var folder = OutputFolder(context, jobId);
        var files = new JsonArray();
        if (folder is not null && Directory.Exists(folder))
        {
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Take(MaxFilesListed))
            {
                var relative = Path.GetRelativePath(folder, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
                files.Add(new JsonObject
                {
                    ["path"] = relative,
                    ["size"] = file.Length,
                    ["modified_at"] = new DateTimeOffset(file.LastWriteTimeUtc).ToUnixTimeMilliseconds(),
                    ["url"] = $"/api/jobs/{Uri.EscapeDataString(jobId)}/files/{string.Join('/', relative.Split('/').Select(Uri.EscapeDataString))}",
                });
            }
        }

        return Results.Json(new JsonObject { ["job_id"] = jobId, ["files"] = files });
    }

    private static IResult Download(OperationsContext context, string jobId, string path)
    {
        _ = WithActions(context, a => Results.Json(JobJson.ToJson(a.Find(jobId))));
        var folder = OutputFolder(context, jobId);
        var realFolder = folder is null ? null : LibC.RealPath(folder);
        var real = realFolder is null ? null : LibC.RealPath(Path.GetFullPath(Path.Combine(realFolder, path)));
        // Links and '..' are resolved first: what is served must really lie inside the job's output folder.
        if (real is null || realFolder is null || !real.StartsWith(realFolder + "/", StringComparison.Ordinal) || !File.Exists(real))
        {
            return Problems.NotFound($"Job '{jobId}' has no output file '{path}'.");
        }

        return Results.File(real, "application/octet-stream", Path.GetFileName(real), enableRangeProcessing: true);
    }

    private static string? OutputFolder(OperationsContext context, string jobId) =>
        jobId.Length == 0 || jobId.Contains('/', StringComparison.Ordinal) || jobId.Contains('\\', StringComparison.Ordinal) || jobId is "." or ".."
            ? null
            : context.Sandbox.JobOutputDirectory(jobId);
}
