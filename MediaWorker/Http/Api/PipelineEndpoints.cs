using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Cli;
using MediaWorker.Http.Hosting;
using MediaWorker.JobRequests;
using MediaWorker.Pipelines;
using MediaWorker.Pipelines.Definitions;
using MediaWorker.Pipelines.Runs;
using MediaWorker.Pipelines.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaWorker.Http.Api;

/// <summary>
/// <c>/api/pipelines</c> and <c>/api/pipeline-runs</c>: validate and store definitions, start runs,
/// look at, cancel and retry them, through the code the CLI runs (docs/pipelines.md).
/// </summary>
internal static class PipelineEndpoints
{
    private const int MaxPage = 1000;

    public static void Map(IEndpointRouteBuilder app, OperationsContext context)
    {
        var pipelines = app.MapGroup("/api/pipelines").WithTags("pipelines");
        pipelines.MapPost("/validate", (HttpRequest request) => ApiCalls.RunAsync(async () =>
            {
                var (definition, report) = PipelineValidator.Validate(await ReadDefinitionAsync(request), Schemas(context));
                return Results.Json(new JsonObject
                {
                    ["valid"] = definition is not null,
                    ["errors"] = Strings(report.Errors),
                    ["warnings"] = Strings(report.Warnings),
                });
            }))
            .WithSummary("Validate a definition (the body, JSON or application/yaml): task types, references, cycles, parameters");
        pipelines.MapPost("", (HttpRequest request) => ApiCalls.RunAsync(async () =>
            {
                var source = await ReadDefinitionAsync(request);
                using var lease = context.Connections.Rent();
                var (definition, version, warnings) = PipelineSubmission.Store(lease.Connection, source, Schemas(context), context.Clock());
                return Results.Created($"/api/pipelines/{definition.Name}", new JsonObject { ["name"] = definition.Name, ["version"] = version, ["warnings"] = Strings(warnings) });
            }))
            .WithSummary("Store a definition (the body, JSON or application/yaml); a changed definition becomes a new version");
        pipelines.MapGet("", () => ApiCalls.Run(() =>
            {
                using var lease = context.Connections.Rent();
                return Results.Json(new JsonObject
                {
                    ["pipelines"] = new JsonArray([.. PipelineStore.List(lease.Connection).Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["version"] = p.Version, ["created_at"] = p.CreatedAt })]),
                });
            }))
            .WithSummary("Stored pipelines, newest version of each");
        pipelines.MapPost("/{name}/runs", (string name, HttpRequest request) => ApiCalls.RunAsync(async () =>
            {
                var body = await ReadBodyAsync(request);
                var start = body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject ?? throw new UsageException("The body must be a JSON object such as {\"input\": {\"path\": \"/media/a.mp4\"}}.");
                var input = start["input"] switch
                {
                    null => "{}",
                    JsonObject o => o.ToJsonString(),
                    _ => throw new UsageException("input must be a JSON object."),
                };
                var key = start["idempotency_key"]?.GetValue<string>() ?? (request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } header ? header : null);
                using var lease = context.Connections.Rent();
                var (runId, created) = PipelineRuns.Start(lease.Connection, name, input, key, context.Clock(), "api");
                var view = PipelineRuns.Find(lease.Connection, runId)!.ToJson();
                return created ? Results.Created($"/api/pipeline-runs/{runId}", view) : Results.Json(view);
            }))
            .WithSummary("Start a run of a stored pipeline; body {\"input\": {...}, \"idempotency_key\": \"...\"}");

        var runs = app.MapGroup("/api/pipeline-runs").WithTags("pipelines");
        runs.MapGet("", (string? pipeline, string? status, int? limit) => ApiCalls.Run(() =>
            {
                using var lease = context.Connections.Rent();
                var list = PipelineRuns.List(lease.Connection, pipeline, status, Math.Clamp(limit ?? 50, 1, MaxPage));
                return Results.Json(new JsonObject
                {
                    ["runs"] = new JsonArray([.. list.Select(r => (JsonNode)new JsonObject
                    {
                        ["run_id"] = r.RunId,
                        ["pipeline"] = r.Pipeline,
                        ["version"] = r.Version,
                        ["status"] = r.Status,
                        ["error"] = r.Error,
                        ["created_at"] = r.CreatedAt,
                        ["completed_at"] = r.CompletedAt,
                    })]),
                });
            }))
            .WithSummary("Runs, newest first; filters pipeline and status, limit 1-1000");
        runs.MapGet("/{runId}", (string runId) => ApiCalls.Run(() => WithRun(context, runId, null)))
            .WithSummary("One run with the state, jobs and output of each step");
        runs.MapPost("/{runId}/cancel", (string runId) => ApiCalls.Run(() => WithRun(context, runId, PipelineRuns.Cancel)))
            .WithSummary("Cancel a run: waiting steps and queued step jobs at once, running ones within about a second");
        runs.MapPost("/{runId}/retry", (string runId) => ApiCalls.Run(() => WithRun(context, runId, PipelineRuns.Retry)))
            .WithSummary("Resume a failed or cancelled run from its failed steps, keeping the finished ones");
    }

    private static IResult WithRun(OperationsContext context, string runId, Action<System.Data.Common.DbConnection, string, long>? action)
    {
        using var lease = context.Connections.Rent();
        action?.Invoke(lease.Connection, runId, context.Clock());
        var view = PipelineRuns.Find(lease.Connection, runId) ?? throw new JobRequestException(JobRequestFailure.NotFound, $"No pipeline run '{runId}'.");
        return Results.Json(view.ToJson());
    }

    private static TaskSchemas Schemas(OperationsContext context) =>
        context.Sources.Plugins is { } registry
            ? PipelineSubmission.SchemasOf(registry)
            : throw new JobRequestException(JobRequestFailure.Conflict, "The plugins are still loading, so task types cannot be checked yet; try again in a moment.");

    /// <summary>A definition body: YAML when the Content-Type says so (application/yaml), JSON otherwise.</summary>
    private static async Task<DefinitionSource> ReadDefinitionAsync(HttpRequest request)
    {
        if (DefinitionSource.FormatOfMediaType(request.ContentType) == DefinitionFormat.Yaml)
        {
            using var reader = new StreamReader(request.Body);
            return new DefinitionSource(await reader.ReadToEndAsync(request.HttpContext.RequestAborted), DefinitionFormat.Yaml);
        }

        return new DefinitionSource(await ReadBodyAsync(request), DefinitionFormat.Json);
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        try
        {
            if (body.Length > 0)
            {
                using var parsed = JsonDocument.Parse(body, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
        }
        catch (JsonException ex)
        {
            throw new UsageException($"The request body is not valid JSON: {ex.Message}", ex);
        }

        return body;
    }

    private static JsonArray Strings(IEnumerable<string> lines) => new([.. lines.Select(l => (JsonNode)JsonValue.Create(l))]);
}
