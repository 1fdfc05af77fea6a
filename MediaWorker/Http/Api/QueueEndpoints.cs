using System.Text.Json.Nodes;
using MediaWorker.JobRequests;
using MediaWorker.Plugins.Reporting;
using MediaWorker.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaWorker.Http.Api;

/// <summary><c>/api/queues</c>: each task type's jobs per status and whether it is paused; pause and resume, as <c>mediaworker pause</c>/<c>resume</c>.</summary>
internal static class QueueEndpoints
{
    public static void Map(IEndpointRouteBuilder app, OperationsContext context)
    {
        var queues = app.MapGroup("/api/queues").WithTags("queues");
        queues.MapGet("", () => ApiCalls.Run(() => List(context)))
            .WithSummary("Every task type with jobs or a pause: jobs per status, and the pause (when, by whom, why)");
        queues.MapPost("/{taskType}/pause", (string taskType, string? reason) => ApiCalls.Run(() => WithQueues(context, q =>
            {
                var created = q.Pause(taskType, "mediaworker-api", reason);
                var pause = q.Paused().Single(p => p.TaskType == taskType.Trim());
                var json = PluginReport.PauseJson(pause);
                json["newly_paused"] = created;
                return Results.Json(json);
            })))
            .WithSummary("Pause a task type: no worker claims its queued jobs until it is resumed; running jobs finish");
        queues.MapPost("/{taskType}/resume", (string taskType) => ApiCalls.Run(() => WithQueues(context, q =>
            {
                q.Resume(taskType);
                return Results.Json(new JsonObject { ["task_type"] = taskType.Trim(), ["paused"] = false });
            })))
            .WithSummary("Resume a paused task type; every worker claims its jobs again at once (409 when it was not paused)");
    }

    private static IResult WithQueues(OperationsContext context, Func<QueueActions, IResult> work)
    {
        using var lease = context.Connections.Rent();
        return work(new QueueActions(lease.Connection, context.Clock));
    }

    private static IResult List(OperationsContext context)
    {
        using var lease = context.Connections.Rent();
        var counts = JobQueries.CountByTaskAndStatus(lease.Connection);
        var paused = PausedQueues.List(lease.Connection).ToDictionary(p => p.TaskType, StringComparer.Ordinal);
        var types = counts.Select(c => c.TaskType).Concat(paused.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return Results.Json(new JsonObject
        {
            ["queues"] = new JsonArray([.. types.Select(type =>
            {
                var byStatus = new JsonObject();
                foreach (var status in JobStatus.All)
                {
                    byStatus[status] = counts.Where(c => c.TaskType == type && c.Status == status).Sum(c => c.Count);
                }

                return (JsonNode)new JsonObject
                {
                    ["task_type"] = type,
                    ["paused"] = paused.ContainsKey(type),
                    ["pause"] = paused.TryGetValue(type, out var pause) ? PluginReport.PauseJson(pause) : null,
                    ["by_status"] = byStatus,
                };
            })]),
        });
    }
}
