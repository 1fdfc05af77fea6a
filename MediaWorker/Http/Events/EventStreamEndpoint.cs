using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaWorker.Http.Events;

/// <summary>
/// <c>GET /api/events</c>: server-sent events. <c>event: job</c> carries a job's lifecycle
/// (queued, processing, progress, retrying, completed, failed, cancelled), <c>event: worker</c> a
/// worker that joined, changed or left. A comment every 15 s keeps proxies from closing the stream.
/// </summary>
internal static class EventStreamEndpoint
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static void Map(IEndpointRouteBuilder app, EventHub hub) =>
        // Two parameters: a lone HttpContext would make this a bare RequestDelegate, left out of the OpenAPI document.
        app.MapGet("/api/events", (HttpContext http, CancellationToken _) => StreamAsync(http, hub))
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .WithTags("events")
            .WithSummary("Server-sent events: job lifecycle events (event: job) and worker changes (event: worker)");

    private static async Task StreamAsync(HttpContext http, EventHub hub)
    {
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        using var subscription = hub.Subscribe();
        var aborted = http.RequestAborted;
        try
        {
            await response.WriteAsync("retry: 2000\n: connected\n\n", aborted);
            await response.Body.FlushAsync(aborted);
            while (!aborted.IsCancellationRequested)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                quiet.CancelAfter(KeepAlive);
                bool ready;
                try
                {
                    ready = await subscription.Events.WaitToReadAsync(quiet.Token);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await response.WriteAsync(": keep-alive\n\n", aborted);
                    await response.Body.FlushAsync(aborted);
                    continue;
                }

                if (!ready)
                {
                    return;
                }

                while (subscription.Events.TryRead(out var liveEvent))
                {
                    await response.WriteAsync(
                        $"id: {liveEvent.Id.ToString(CultureInfo.InvariantCulture)}\nevent: {liveEvent.Type}\ndata: {liveEvent.Data.ToJsonString()}\n\n", aborted);
                }

                await response.Body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }
}
