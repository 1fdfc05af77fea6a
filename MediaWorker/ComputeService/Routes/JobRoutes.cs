using MediaWorker.ComputeService.Auth;
using MediaWorker.ComputeService.Jobs;
using MediaWorker.ComputeService.Responses;
using MediaWorker.Files;
using MediaWorker.Files.Native;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaWorker.ComputeService.Routes;

/// <summary><c>GET</c> and <c>DELETE /jobs/{id}</c>, and <c>GET /jobs/{id}/files/{path}</c> (a file of the job's folder).</summary>
internal static class JobRoutes
{
    public static void Map(IEndpointRouteBuilder routes, ComputeApi api)
    {
        routes.MapGet("/jobs/{id}", async context =>
        {
            await api.Access.RequirePermissionAsync(context.Request, Caller.InferencePermission);
            var job = api.Jobs.Find(JobId(context)) ?? throw NotFound(context);
            await JsonAnswer.WriteAsync(context.Response, JobView.ToJson(job));
        });

        routes.MapDelete("/jobs/{id}", async context =>
        {
            await api.Access.RequirePermissionAsync(context.Request, Caller.InferencePermission);
            if (!await api.Jobs.DeleteAsync(JobId(context), context.RequestAborted))
            {
                throw NotFound(context);
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });

        routes.MapGet("/jobs/{id}/files/{**path}", async context =>
        {
            await api.Access.RequirePermissionAsync(context.Request, Caller.InferencePermission);
            var jobId = JobId(context);
            _ = api.Jobs.Find(jobId) ?? throw NotFound(context);
            var requested = ((string?)context.Request.RouteValues["path"] ?? string.Empty).Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
            var file = ResolveJobFile(SandboxPolicy.JobFolder(api.Settings.ComputeStorageDirectory, jobId), jobId, requested);
            await Results.File(file, "application/octet-stream", Path.GetFileName(file), enableRangeProcessing: true).ExecuteAsync(context);
        });
    }

    /// <summary>
    /// A file inside the job's folder, as the seed checks it: 404 when the folder or the file is
    /// missing, 403 when the path (or a link on it) leads outside the folder, 400 for a folder.
    /// </summary>
    internal static string ResolveJobFile(string jobFolder, string jobId, string requested)
    {
        var realFolder = LibC.RealPath(jobFolder) ?? throw ApiException.NotFound($"Job directory not found for job {jobId}");
        if (requested.Length == 0 || requested.Contains('\0', StringComparison.Ordinal))
        {
            throw ApiException.BadRequest($"Invalid file path: '{requested}'");
        }

        var candidate = Path.GetFullPath(Path.Combine(jobFolder, requested));
        if (!IsInside(candidate, Path.GetFullPath(jobFolder)) && !IsInside(candidate, realFolder))
        {
            throw ApiException.Forbidden("Access denied: path traversal detected");
        }

        var real = LibC.RealPath(candidate) ?? throw ApiException.NotFound($"File not found: {requested}");
        if (!IsInside(real, realFolder))
        {
            throw ApiException.Forbidden("Access denied: path traversal detected");
        }

        return Directory.Exists(real) ? throw ApiException.BadRequest($"Path is not a file: {requested}") : real;
    }

    private static bool IsInside(string path, string folder) =>
        path.StartsWith(folder.EndsWith('/') ? folder : folder + "/", StringComparison.Ordinal);

    private static string JobId(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    private static ApiException NotFound(HttpContext context) => ApiException.NotFound($"Job {JobId(context)} not found");
}
