using MediaWorker.Configuration;
using MediaWorker.Execution;
using MediaWorker.Files;
using MediaWorker.Http.Api;
using MediaWorker.Http.Dashboard;
using MediaWorker.Http.Events;
using MediaWorker.Http.Health;
using MediaWorker.Http.Hosting;
using MediaWorker.Http.Metrics;
using MediaWorker.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Http;

/// <summary>
/// The operations surface (issue 15): the JSON API under /api, the live event stream, the dashboard
/// at /, /metrics, /healthz and /readyz, on <see cref="HttpSettings.Listen"/>. It works with a worker
/// in the same process (<c>run</c>) or without one (<c>serve</c>): everything it shows comes from the
/// database (the SQLite file or PostgreSQL, as <c>DATABASE_URL</c> says), and an in-process worker's
/// events reach the stream through <see cref="JobEvents"/>.
/// </summary>
public sealed class OperationsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DatabaseConnections _connections;
    private readonly OperationsGauges _gauges;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _feed;

    private OperationsServer(WebApplication app, DatabaseConnections connections, OperationsGauges gauges, JobStateTracker tracker, Task feed, CancellationTokenSource stopping)
    {
        _stopping = stopping;
        _app = app;
        _connections = connections;
        _gauges = gauges;
        JobEvents = new LiveJobEventSink(tracker);
        _feed = feed;
        Address = HttpServerBuilder.BoundAddress(app);
    }

    /// <summary>The address it listens on (port 0 resolved), e.g. http://127.0.0.1:8780/.</summary>
    public Uri Address { get; }

    /// <summary>Where a worker in this process sends its job events (see <see cref="RuntimeHooks.JobEvents"/>).</summary>
    public IJobEventSink JobEvents { get; }

    /// <summary>Builds and starts the server; returns once it listens.</summary>
    public static async Task<OperationsServer> StartAsync(WorkerSettings settings, OperationsSources sources, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        long Clock() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var store = JobStores.For(settings.Store);
        var connections = new DatabaseConnections(store);
        using (var lease = connections.Rent())
        {
            store.Migrate(lease.Connection);
        }

        var hub = new EventHub();
        var tracker = new JobStateTracker(hub, Clock);
        var context = new OperationsContext(settings, connections, Clock, new SandboxPolicy(settings.ComputeStorageDirectory, settings.AllowedRoots), sources, hub, tracker);
        var gauges = new OperationsGauges(connections, () => sources.Plugins, () => sources.BrokerConnected, Clock);

        var builder = HttpServerBuilder.Create(settings.Http, loggerFactory);
        builder.Services.AddOpenApi();
        builder.AddMetrics(settings.WorkerId, settings.Source.GetValue("OTEL_EXPORTER_OTLP_ENDPOINT"));
        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A fault is logged with its details; the response says only that it happened.
            ExceptionHandler = http => Problems.Write(http, StatusCodes.Status500InternalServerError, "Internal error", "The server failed to answer this request; its log has the details."),
        });
        app.UseStatusCodePages(async status =>
        {
            if (!status.HttpContext.Response.HasStarted && status.HttpContext.Response.ContentLength is null && status.HttpContext.Response.ContentType is null)
            {
                var code = status.HttpContext.Response.StatusCode;
                await Problems.Write(status.HttpContext, code, code == 404 ? "Not found" : "Error",
                    code == 404 ? $"There is no {status.HttpContext.Request.Path} here; the API is described at /openapi/v1.json." : $"The request failed with status {code}.");
            }
        });
        app.UseBearerToken(settings.Http.ApiToken, path => path == "/healthz" || DashboardAssets.IsAsset(path));
        app.MapOpenApi();
        JobEndpoints.Map(app, context);
        WebhookApiEndpoints.Map(app, context);
        CatalogEndpoints.Map(app, context);
        PipelineEndpoints.Map(app, context);
        ScheduleEndpoints.Map(app, context);
        QueueEndpoints.Map(app, context);
        EventStreamEndpoint.Map(app, hub);
        HealthEndpoints.Map(app, context);
        DashboardAssets.Map(app);
        app.MapMetrics();

        await app.StartAsync(cancellationToken);
        var logger = loggerFactory.CreateLogger("MediaWorker.Http");
        var stopping = new CancellationTokenSource();
        var feed = new DatabaseChangeFeed(connections, tracker, hub, Clock, logger).RunAsync(stopping.Token);
        var server = new OperationsServer(app, connections, gauges, tracker, feed, stopping);
        logger.LogInformation("Dashboard and API on {Address}{Token}.", server.Address, settings.Http.ApiToken is null ? string.Empty : " (API_TOKEN required)");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stop.Token);
        }

        await _app.DisposeAsync();
        try
        {
            await _feed;
        }
        catch (OperationCanceledException)
        {
        }

        _gauges.Dispose();
        _connections.Dispose();
        _stopping.Dispose();
    }
}
