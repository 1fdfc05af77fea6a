using System.Data.Common;
using System.Text.Json.Nodes;
using MediaWorker.Http.Api;
using MediaWorker.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaWorker.Http.Health;

/// <summary>
/// <c>/healthz</c>: the process answers (liveness; never needs the token). <c>/readyz</c>: the database
/// answers and accepts writes, and the plugins are loaded; 503 with the reason otherwise.
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

    /// <summary>Null when a write could begin; else why not (the database unreachable, or reachable but not writable).</summary>
    private static string? DatabaseWritable(OperationsContext context)
    {
        DatabaseConnections.Lease lease;
        try
        {
            lease = context.Connections.Rent();
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            context.Connections.ForgetIdle();
            return $"unreachable: {OneLine(ex)}";
        }

        try
        {
            return WriteProbe.CanBegin(lease.Connection) ? null : "not writable: the server accepts reads only (a standby, or default_transaction_read_only is on)";
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            context.Connections.ForgetIdle();
            // A pooled PostgreSQL connection that the server closed (it is shutting down, or
            // restarted) opens fine and breaks on its first statement: that is unreachable too.
            var broken = lease.Connection.State != System.Data.ConnectionState.Open;
            return $"{(broken ? "unreachable" : "not writable")}: {OneLine(ex)}";
        }
        finally
        {
            lease.Dispose();
        }
    }

    /// <summary>What a database that is down, locked or gone throws, on either engine (NpgsqlException and SqliteException are DbExceptions).</summary>
    private static bool IsDatabaseFailure(Exception ex) =>
        ex is DbException or DatabaseBusyException or IOException or TimeoutException or InvalidOperationException;

    private static string OneLine(Exception ex) => ex.Message.ReplaceLineEndings(" ");
}
