using System.Text.Json.Nodes;
using MediaWorker.ComputeService.Auth;
using MediaWorker.ComputeService.Forms;
using MediaWorker.ComputeService.Responses;
using MediaWorker.ComputeService.Tasks;
using MediaWorker.ComputeService.Uploads;
using MediaWorker.Messaging;
using MediaWorker.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaWorker.ComputeService.Routes;

/// <summary>
/// <c>POST /jobs/{task}</c>: the seed's job forms. The upload goes to the new job's folder, the row
/// is inserted by <see cref="JobSubmitter"/>, a <c>queued</c> job event is published, and the answer
/// is <c>{job_id, status: "queued", task_type}</c>. A refused request leaves no folder and no row.
/// </summary>
internal static class SubmitRoutes
{
    public static void Map(IEndpointRouteBuilder routes, ComputeApi api) =>
        routes.MapPost("/jobs/{task}", context => SubmitAsync(context, api));

    private static async Task SubmitAsync(HttpContext context, ComputeApi api)
    {
        var taskType = (string)context.Request.RouteValues["task"]!;
        var form = SeedTasks.Find(taskType) ?? throw Unserved(taskType);
        var caller = await api.Access.RequirePermissionAsync(context.Request, Caller.InferencePermission);

        var jobId = RowIds.New();
        var folder = JobFolder.Create(api.Settings.ComputeStorageDirectory, jobId);
        try
        {
            var submitted = await ReadFormAsync(context.Request, folder, api.Settings.UploadLimitBytes);
            var values = new FormValues(submitted.Fields);
            var priority = values.WholeNumber("priority", 5, 0, 10) ?? 5;
            if (submitted.Upload is null && form.RequiresUpload)
            {
                values.Errors.Missing(JobFormReader.FileField);
            }
            else if (submitted.Upload is { Bytes: 0 } empty && !form.AcceptsEmptyUpload)
            {
                values.Errors.Add(JobFormReader.FileField, "value_error", $"The upload '{empty.ClientName}' is empty (0 bytes); {taskType} needs a media file.", null);
            }

            var parameters = form.BuildParameters(values, submitted.Upload?.RelativePath);
            values.Errors.ThrowIfAny();
            if (form is HlsStreamingForm && HlsStreamingForm.LacksInput(values, submitted.Upload?.RelativePath))
            {
                throw ApiException.BadRequest("Either file or input_absolute_path must be provided");
            }

            api.Jobs.Submit(new NewJob(taskType, parameters.ToJsonString()) { JobId = jobId, Priority = priority, CreatedBy = caller?.Id });
        }
        catch
        {
            folder.Delete();
            throw;
        }

        api.Events.PublishJobEvent(new JobEvent(jobId, JobEventType.Queued, taskType, api.Settings.PresenceId, api.Jobs.Now, 0, 0));
        await JsonAnswer.WriteAsync(context.Response, new JsonObject { ["job_id"] = jobId, ["status"] = JobStatus.Queued, ["task_type"] = taskType });
    }

    private static async Task<SubmittedForm> ReadFormAsync(HttpRequest request, JobFolder folder, long limit)
    {
        try
        {
            return await JobFormReader.ReadAsync(request, folder, limit, request.HttpContext.RequestAborted);
        }
        catch (UploadTooLargeException ex)
        {
            throw new ApiException(413, ex.Message);
        }
        catch (IOException ex) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // A malformed or truncated multipart body (writing to our disk is reported apart, as a 500).
            throw FieldErrors.One(JobFormReader.FileField, $"The multipart body cannot be read: {ex.Message}");
        }
        catch (InvalidDataException ex)
        {
            throw FieldErrors.One(JobFormReader.FileField, $"The multipart body cannot be read: {ex.Message}");
        }
    }

    private static ApiException Unserved(string taskType)
    {
        var served = string.Join(", ", SeedTasks.Served.Select(t => t.TaskType));
        return SeedTasks.Refused.Contains(taskType, StringComparer.Ordinal)
            ? new ApiException(501, $"Task '{taskType}' is not available: no MediaWorker plugin runs it (it needs a model the seed's worker loaded). This compute service runs {served}.")
            : ApiException.NotFound($"Unknown task '{taskType}'. This compute service runs {served}.");
    }
}
