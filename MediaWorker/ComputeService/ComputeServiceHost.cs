using System.Net.Sockets;
using MediaWorker.ComputeService.Auth;
using MediaWorker.ComputeService.Jobs;
using MediaWorker.ComputeService.Responses;
using MediaWorker.ComputeService.Routes;
using MediaWorker.ComputeService.Workers;
using MediaWorker.Configuration;
using MediaWorker.Messaging;
using MediaWorker.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaWorker.ComputeService;

/// <summary>
/// The seed-compatible compute API on its own Kestrel listener (<c>COMPUTE_API_LISTEN</c>). It
/// needs no worker in the same process: <c>mediaworker run</c> hosts it beside the worker,
/// <c>mediaworker compute-api</c> alone; any other host can start one the same way.
/// </summary>
/// <remarks>
/// The API's <c>queued</c> job events go out through a broadcaster of its own, announced as
/// <c>$CAPABILITY_TOPIC_PREFIX/&lt;WORKER_ID&gt;-compute-api</c> with no tasks (so it has a will and
/// is never counted as a worker).
/// </remarks>
public sealed class ComputeServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IWorkerBroadcaster _events;
    private readonly MqttWorkerSource? _watcher;
    private readonly ILogger _logger;
    private readonly ComputeServiceSettings _settings;
    private readonly ComputeApi _api;
    private bool _started;

    private ComputeServiceHost(WebApplication app, ComputeApi api, MqttWorkerSource? watcher, ILogger logger)
    {
        _app = app;
        _api = api;
        _events = api.Events;
        _watcher = watcher;
        _settings = api.Settings;
        _logger = logger;
    }

    /// <summary>The address it listens on, as a URL.</summary>
    public string Url => $"http://{_settings.Listen}";

    /// <summary>Builds the API (nothing listens yet). <paramref name="settings"/> must name a listen address.</summary>
    public static ComputeServiceHost Create(ComputeServiceSettings settings, string serverDirectory, ILoggerFactory loggerFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var listen = settings.Listen ?? throw new ArgumentException("COMPUTE_API_LISTEN is not set.", nameof(settings));
        var connections = JobStores.For(settings.Store);
        using (var connection = connections.Open())
        {
            connections.Migrate(connection);
        }

        Directory.CreateDirectory(settings.ComputeStorageDirectory);
        var logger = loggerFactory.CreateLogger("MediaWorker.ComputeApi");
        var events = BroadcasterFactory.Create(settings.Broadcast, serverDirectory, loggerFactory);
        var watcher = string.Equals(settings.Broadcast.Type, "mqtt", StringComparison.OrdinalIgnoreCase)
            ? new MqttWorkerSource(settings.Broadcast, loggerFactory.CreateLogger("MediaWorker.Mqtt"))
            : null;
        var guestMode = new GuestModeStore(settings.ConfigFilePath, settings.GuestModeDefault, () => time.GetUtcNow().ToUnixTimeMilliseconds());
        var api = new ComputeApi(
            settings,
            new ComputeJobs(connections, settings.ComputeStorageDirectory, time),
            guestMode,
            new AccessPolicy(guestMode, new AccessTokenReader(settings.PublicKeyPath)),
            (IWorkerSource?)watcher ?? new NoWorkers(),
            events,
            time);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // The process owns SIGINT/SIGTERM (ShutdownSignals): the API stops when its host says so, so
        // clients can still read their jobs while the worker beside it drains.
        builder.Services.AddSingleton<IHostLifetime, ProcessOwnedLifetime>();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(listen);
            // JobFormReader counts upload bytes against COMPUTE_UPLOAD_MAX_MB itself and answers 413.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        app.UseMiddleware<ApiErrorMiddleware>();
        MapRoutes(app, api);
        return new ComputeServiceHost(app, api, watcher, logger);
    }

    /// <summary>
    /// Starts the API when COMPUTE_API_LISTEN is set (how <c>mediaworker run</c> hosts it beside the worker); null when it is off.
    /// </summary>
    public static async Task<ComputeServiceHost?> StartIfConfiguredAsync(WorkerSettings worker, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var settings = ComputeServiceSettings.Read(worker);
        if (settings.Listen is null)
        {
            return null;
        }

        var host = Create(settings, worker.ServerDirectory, loggerFactory, TimeProvider.System);
        try
        {
            await host.StartAsync(cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every route of the API on <paramref name="routes"/>.</summary>
    public static void MapRoutes(IEndpointRouteBuilder routes, ComputeApi api)
    {
        RootRoutes.Map(routes, api);
        SubmitRoutes.Map(routes, api);
        JobRoutes.Map(routes, api);
        AdminRoutes.Map(routes, api);
    }

    /// <summary>Starts listening; a clear error when the address cannot be used.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _events.UpdatePresence(new WorkerSnapshot(_settings.PresenceId, [], 0, 0, false, []));
        await _events.StartAsync(cancellationToken);
        try
        {
            await _app.StartAsync(cancellationToken);
        }
        catch (IOException ex) when (ex.InnerException is SocketException or null)
        {
            throw new InvalidOperationException($"COMPUTE_API_LISTEN: cannot listen on {_settings.Listen}: {ex.Message}", ex);
        }

        _started = true;
        _logger.LogInformation(
            "Compute API listening on {Url} (guest mode {GuestMode}; uploads up to {Limit} MiB; storage {Storage}).",
            Url, _api.GuestMode.Current.GuestMode ? "on" : "off", _settings.UploadLimitBytes / (1024 * 1024), _settings.ComputeStorageDirectory);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            _started = false;
            await _app.StopAsync(cancellationToken);
        }

        await _events.StopAsync(cancellationToken);
        if (_watcher is not null)
        {
            await _watcher.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _events.DisposeAsync();
        _watcher?.Dispose();
    }

    /// <summary><c>BROADCAST_TYPE=noop</c>: no broker, so no worker is known.</summary>
    private sealed class NoWorkers : IWorkerSource
    {
        public IReadOnlyList<LiveWorker> LiveWorkers(DateTimeOffset now) => [];
    }

    /// <summary>A host lifetime that leaves signals to the process (no ConsoleLifetime).</summary>
    private sealed class ProcessOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Hands ASP.NET Core's loggers to the process's Serilog factory, so the API logs like the rest.</summary>
    private sealed class ForwardingLoggerProvider(ILoggerFactory factory) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
