using System.Text.Json.Nodes;
using MediaWorker.Cli;
using MediaWorker.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaWorker.Http.Api;

/// <summary>The JSON body of <c>POST /api/webhooks</c>.</summary>
/// <param name="url">Where to POST; must start with one of WEBHOOK_ALLOWED_URL_PREFIXES.</param>
/// <param name="secret">The signing secret: whsec_ and base64 (Standard Webhooks), or any text of 16 bytes or more. Never shown again.</param>
/// <param name="events">Comma list of processing, progress, completed, failed, cancelled, retrying (default: all).</param>
/// <param name="task_types">Comma list of task types whose events are sent (default: all).</param>
#pragma warning disable CA1707, IDE1006 // the API's JSON names
public sealed record WebhookBody(string url, string secret, string? events, string? task_types);

/// <summary>The JSON body of <c>POST /api/webhooks/{id}/rotate</c>: a new secret, or <c>finish</c> to stop signing with the previous one.</summary>
/// <param name="secret">The new secret; the current one keeps signing beside it.</param>
/// <param name="finish">True ends the rotation.</param>
public sealed record RotateBody(string? secret, bool? finish);
#pragma warning restore CA1707, IDE1006

/// <summary>
/// <c>/api/webhooks</c>: the same endpoints and delivery log as <c>mediaworker webhooks</c>, through
/// <see cref="WebhookActions"/>. Secrets are accepted, never returned.
/// </summary>
internal static class WebhookApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app, OperationsContext context)
    {
        var hooks = app.MapGroup("/api/webhooks").WithTags("webhooks");
        hooks.MapGet("", () => ApiCalls.Run(() => With(context, a => Results.Json(new JsonArray([.. a.List().Select(e => (JsonNode)WebhookActions.ToJson(e))])))))
            .WithSummary("List webhook endpoints (never their secrets)");
        hooks.MapPost("", (WebhookBody body) => ApiCalls.Run(() => With(context, a =>
            {
                var endpoint = a.Add(body.url ?? throw new UsageException("url is missing."), body.secret ?? throw new UsageException("secret is missing."), body.events, body.task_types);
                return Results.Created($"/api/webhooks/{endpoint.Id}", WebhookActions.ToJson(endpoint));
            })))
            .WithSummary("Add a webhook endpoint")
            .WithDescription("Refused (400) when the URL matches none of WEBHOOK_ALLOWED_URL_PREFIXES, the secret is shorter than 16 bytes, or an event type is unknown.");
        hooks.MapGet("/{id}", (string id) => ApiCalls.Run(() => With(context, a => Results.Json(WebhookActions.ToJson(a.Find(id))))))
            .WithSummary("One webhook endpoint");
        hooks.MapDelete("/{id}", (string id) => ApiCalls.Run(() => With(context, a =>
            {
                a.Remove(id);
                return Results.NoContent();
            })))
            .WithSummary("Remove an endpoint; its delivery log stays and its queued deliveries fail");
        hooks.MapPost("/{id}/rotate", (string id, RotateBody body) => ApiCalls.Run(() => With(context, a => Results.Json(WebhookActions.ToJson(
                body.finish == true ? a.FinishRotation(id) : a.Rotate(id, body.secret ?? throw new UsageException("Give secret to start a rotation, or finish: true to end one.")))))))
            .WithSummary("Rotate the signing secret: both sign until finish");
        hooks.MapPost("/{id}/test", (string id) => ApiCalls.Run(() => With(context, a => Results.Accepted(null, new JsonObject { ["delivery_id"] = a.Test(id) }))))
            .WithSummary("Queue a webhook.test event to the endpoint; a worker delivers it");
        hooks.MapGet("/{id}/deliveries", (string id, int? limit) => ApiCalls.Run(() => With(context, a =>
                Results.Json(new JsonArray([.. a.Deliveries(id, limit ?? 50).Select(d => (JsonNode)WebhookActions.ToJson(d))])))))
            .WithSummary("The endpoint's delivery log, newest first: status, attempts, last response code and error");
    }

    private static IResult With(OperationsContext context, Func<WebhookActions, IResult> work)
    {
        using var lease = context.Connections.Rent();
        return work(new WebhookActions(lease.Connection, context.Settings.Webhooks.AllowedUrls, context.Clock));
    }
}
