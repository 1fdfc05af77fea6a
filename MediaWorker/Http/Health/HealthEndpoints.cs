using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaWorker.Http.Health;

/// <summary>
/// <c>/healthz</c>: the process answers (liveness; never needs the token). <c>/readyz</c>: the database
/// takes a write lock and the plugins are loaded; 503 with the reason otherwise.
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app, OperationsContext context)
    {
        app.MapGet("/healthz", () => Results.Json(new JsonObject { ["status"] = "ok" }))
            .WithTags("health").WithSummary("Liveness: 200 while the process serves");
        app.MapGet("/readyz", () => Ready(context))
            .WithTags("health").WithSummary("Readiness: 200 when the database is writable and the plugins are loaded, else 503 with the reason");
    }

    private static IResult Ready(OperationsContext context)
    {
        var database = DatabaseWritable(context);
        var plugins = context.Sources.Plugins;
        var ready = database is null && plugins is not null;
        var body = new JsonObject
        {
            ["status"] = ready ? "ready" : "not_ready",
            ["database"] = database ?? "writable",
            ["plugins"] = plugins is null ? "loading" : $"{plugins.Plugins.Count} loaded, {plugins.Failures.Count} failed",
        };
        return Results.Json(body, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Null when a write transaction can begin; else why not.</summary>
    private static string? DatabaseWritable(OperationsContext context)
    {
        try
        {
            using var lease = context.Connections.Rent();
            using var transaction = WriteTransaction.Begin(lease.Connection);
            _ = lease.Connection.ExecuteScalar<long>("PRAGMA user_version");
            return null; // disposing without commit rolls back: nothing was written
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or DatabaseBusyException or IOException or TimeoutException or InvalidOperationException)
        {
            return $"not writable: {ex.Message.ReplaceLineEndings(" ")}";
        }
    }
}
