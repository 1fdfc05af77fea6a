using System.Text.Json.Nodes;
using MediaWorker.Cli;
using MediaWorker.Schedules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaWorker.Http.Api;

/// <summary>The JSON body of <c>POST /api/schedules</c> (documented in the OpenAPI document).</summary>
/// <param name="name">Unique name: letters, digits, '.', '_', '-'.</param>
/// <param name="cron">5 fields, 6 with seconds first, or a macro such as @hourly.</param>
/// <param name="time_zone">IANA zone the expression is read in (default UTC).</param>
/// <param name="catch_up">skip (default) or run_once: what occurrences missed past SCHEDULE_MISFIRE_GRACE do.</param>
/// <param name="target">What each occurrence starts: {"kind": "job", "task_type": ..., "params": {...}, "priority": 5, "max_retries": 3, "timeout_seconds": null}, or {"kind": "pipeline", "pipeline": NAME, "input": {...}}.</param>
/// <param name="paused">Add it paused.</param>
/// <param name="replace">Redefine a schedule of that name instead of refusing with 409.</param>
#pragma warning disable CA1707, IDE1006 // the JSON names are the API's, and the same as the schedules table's columns
public sealed record ScheduleBody(string name, string cron, string? time_zone, string? catch_up, JsonObject target, bool? paused, bool? replace);
#pragma warning restore CA1707, IDE1006

/// <summary><c>/api/schedules</c>: add, list, get, pause, resume, delete; the same <see cref="ScheduleActions"/> as <c>mediaworker schedule</c>.</summary>
internal static class ScheduleEndpoints
{
    public static void Map(IEndpointRouteBuilder app, OperationsContext context)
    {
        var schedules = app.MapGroup("/api/schedules").WithTags("schedules");
        schedules.MapPost("", (HttpRequest request) => ApiCalls.RunAsync(() => AddAsync(request, context)))
            .WithSummary("Add a cron schedule that submits a job at every occurrence")
            .WithDescription("201 with the schedule; 409 when the name is taken (unless replace is true).")
            .Accepts<ScheduleBody>("application/json");
        schedules.MapGet("", () => ApiCalls.Run(() => WithActions(context, a => Results.Json(new JsonObject
        {
            ["schedules"] = new JsonArray([.. a.List().Select(s => (JsonNode)ScheduleJson.ToJson(s))]),
        }))))
            .WithSummary("List the schedules with their next and last run and last error");
        schedules.MapGet("/{name}", (string name) => ApiCalls.Run(() => WithActions(context, a => Results.Json(ScheduleJson.ToJson(a.Find(name))))))
            .WithSummary("One schedule");
        schedules.MapPost("/{name}/pause", (string name) => ApiCalls.Run(() => WithActions(context, a => Results.Json(ScheduleJson.ToJson(a.Pause(name))))))
            .WithSummary("Pause a schedule: no occurrence runs until it is resumed");
        schedules.MapPost("/{name}/resume", (string name) => ApiCalls.Run(() => WithActions(context, a => Results.Json(ScheduleJson.ToJson(a.Resume(name))))))
            .WithSummary("Resume a schedule from its next occurrence; those due while paused do not run");
        schedules.MapDelete("/{name}", (string name) => ApiCalls.Run(() => WithActions(context, a =>
            {
                a.Remove(name);
                return Results.NoContent();
            })))
            .WithSummary("Delete a schedule; the jobs it submitted stay");
    }

    private static IResult WithActions(OperationsContext context, Func<ScheduleActions, IResult> work)
    {
        using var lease = context.Connections.Rent();
        return work(new ScheduleActions(lease.Connection, context.Settings.Store.Location, context.Clock));
    }

    private static async Task<IResult> AddAsync(HttpRequest request, OperationsContext context)
    {
        var body = await JsonBody.ReadObjectAsync(request, "{\"name\": \"nightly\", \"cron\": \"0 3 * * *\", \"target\": {\"kind\": \"job\", \"task_type\": \"noop\"}}");
        var target = body["target"] as JsonObject ?? throw new UsageException("target is missing or not an object; give {\"kind\": \"job\", \"task_type\": \"noop\", \"params\": {}}.");
        var kind = JsonBody.Field<string>(target, "kind") ?? JobTarget.KindName;
        if (kind is not (JobTarget.KindName or PipelineTarget.KindName))
        {
            throw new UsageException($"target.kind '{kind}' is not one a schedule can start; use job or pipeline.");
        }

        var isPipeline = kind == PipelineTarget.KindName;
        var schedule = new ScheduleRequest(
            JsonBody.Field<string>(body, "name") ?? throw new UsageException("name is missing; give one such as nightly-cleanup."),
            JsonBody.Field<string>(body, "cron") ?? throw new UsageException("cron is missing; give one such as \"0 3 * * *\"."),
            isPipeline ? string.Empty : JsonBody.Field<string>(target, "task_type") ?? throw new UsageException("target.task_type is missing; give one such as noop or image_resize."),
            isPipeline ? target["input"] as JsonObject ?? [] : JsonBody.Params(target))
        {
            Pipeline = isPipeline ? JsonBody.Field<string>(target, "pipeline") ?? throw new UsageException("target.pipeline is missing; give a stored pipeline's name.") : null,
            TimeZone = JsonBody.Field<string>(body, "time_zone"),
            CatchUp = JsonBody.Field<string>(body, "catch_up"),
            Priority = JsonBody.Field<int?>(target, "priority") ?? 5,
            MaxRetries = JsonBody.Field<int?>(target, "max_retries") ?? 3,
            TimeoutSeconds = JsonBody.Field<double?>(target, "timeout_seconds"),
            Paused = JsonBody.Field<bool?>(body, "paused") ?? false,
        };
        var replace = JsonBody.Field<bool?>(body, "replace") ?? false;
        return WithActions(context, actions =>
        {
            var added = actions.Add(schedule, replace);
            return Results.Created($"/api/schedules/{Uri.EscapeDataString(added.Name)}", ScheduleJson.ToJson(added));
        });
    }
}
