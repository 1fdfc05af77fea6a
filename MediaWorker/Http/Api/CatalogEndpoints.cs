using System.Text.Json.Nodes;
using MediaWorker.Http.Events;
using MediaWorker.Http.Hosting;
using MediaWorker.Plugins.Reporting;
using MediaWorker.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaWorker.Http.Api;

/// <summary><c>/api/plugins</c>, <c>/api/workers</c> and <c>/api/stats</c>: what can run, who runs it, and how the queue stands.</summary>
internal static class CatalogEndpoints
{
    private static readonly TimeSpan ChartWindow = TimeSpan.FromHours(1);

    public static void Map(IEndpointRouteBuilder app, OperationsContext context)
    {
        app.MapGet("/api/plugins", () => context.Sources.Plugins is { } registry
                ? Results.Json(PluginReport.ToJson(registry, context.Sources.PluginDirectory, PausedQueuesNow(context)))
                : Problems.Result(StatusCodes.Status503ServiceUnavailable, "Not ready", "The plugins are still loading; try again in a moment."))
            .WithTags("catalog")
            .WithSummary("Loaded plugins with their tasks and parameter schemas, and plugin folders that failed to load, with why");
        app.MapGet("/api/workers", (bool? include_gone) => Workers(context, include_gone ?? false))
            .WithTags("catalog")
            .WithSummary("Live workers from the heartbeat table: host, pid, capabilities, slots, status, last seen");
        app.MapGet("/api/stats", () => Stats(context))
            .WithTags("catalog")
            .WithSummary("Jobs per status and per task type and status; finished jobs per minute over the last hour; paused task types");
    }

    private static IReadOnlyList<QueuePause> PausedQueuesNow(OperationsContext context)
    {
        using var lease = context.Connections.Rent();
        return PausedQueues.List(lease.Connection);
    }

    private static IResult Workers(OperationsContext context, bool includeGone)
    {
        using var lease = context.Connections.Rent();
        var now = context.Clock();
        var rows = includeGone ? WorkerHeartbeats.All(lease.Connection) : WorkerHeartbeats.Live(lease.Connection, now);
        return Results.Json(new JsonObject
        {
            ["workers"] = new JsonArray([.. rows.Select(r =>
            {
                var json = DatabaseChangeFeed.WorkerJson(r, null, now);
                json["live"] = r.IsLive(now);
                return (JsonNode)json;
            })]),
        });
    }

    private static IResult Stats(OperationsContext context)
    {
        using var lease = context.Connections.Rent();
        var now = context.Clock();
        var counts = JobQueries.CountByTaskAndStatus(lease.Connection);
        var byStatus = new JsonObject();
        foreach (var status in JobStatus.All)
        {
            byStatus[status] = counts.Where(c => c.Status == status).Sum(c => c.Count);
        }

        var since = now - (long)ChartWindow.TotalMilliseconds;
        var oldest = JobQueries.OldestQueued(lease.Connection, now);
        return Results.Json(new JsonObject
        {
            ["by_status"] = byStatus,
            ["by_task"] = new JsonArray([.. counts.Select(c => (JsonNode)new JsonObject { ["task_type"] = c.TaskType, ["status"] = c.Status, ["count"] = c.Count })]),
            ["finished_per_minute"] = new JsonArray([.. JobQueries.FinishedPerMinute(lease.Connection, since).Select(m => (JsonNode)new JsonObject
            {
                ["minute"] = m.MinuteStart,
                ["completed"] = m.Completed,
                ["failed"] = m.Failed,
                ["cancelled"] = m.Cancelled,
            })]),
            ["oldest_queued_ms"] = oldest is { } at ? Math.Max(0, now - at) : null,
            ["paused_queues"] = new JsonArray([.. PausedQueues.List(lease.Connection).Select(p => (JsonNode)p.TaskType)]),
            ["timestamp"] = now,
        });
    }
}
