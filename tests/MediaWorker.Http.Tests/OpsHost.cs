using System.Data.Common;
using System.Net.Http.Headers;
using MediaWorker.Configuration;
using MediaWorker.Execution;
using MediaWorker.Http;
using MediaWorker.Plugins;
using MediaWorker.Storage;
using MediaWorker.Telemetry;
using MediaWorker.Testing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MediaWorker.Http.Tests;

/// <summary>
/// A real operations server on a free loopback port over a fresh database (a SQLite file in a temp
/// folder, or a new database on the shared PostgreSQL server), as <c>mediaworker serve</c> runs it,
/// optionally with a worker in the same process (as <c>mediaworker run</c> with HTTP_LISTEN).
/// </summary>
internal sealed class OpsHost : IAsyncDisposable
{
    private readonly TempDirectory _temp;
    private readonly PluginHost _plugins;
    private readonly ILoggerFactory _loggerFactory;
    private readonly CancellationTokenSource _workerStop = new();
    private Task<int>? _worker;

    private OpsHost(TempDirectory temp, WorkerSettings settings, OperationsServer server, PluginHost plugins, ILoggerFactory loggerFactory, string? token)
    {
        _temp = temp;
        Settings = settings;
        Server = server;
        _plugins = plugins;
        _loggerFactory = loggerFactory;
        Client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public WorkerSettings Settings { get; }

    public OperationsServer Server { get; }

    public HttpClient Client { get; }

    public string Directory => _temp.Path;

    /// <summary>The settings a test's server (and worker processes) use: a temp folder, noop broadcast, a free port.</summary>
    public static Dictionary<string, string> BaseSettings(string directory, int port) => new(StringComparer.Ordinal)
    {
        ["CL_SERVER_DIR"] = directory,
        ["PLUGIN_DIR"] = Path.Combine(directory, "plugins"),
        ["BROADCAST_TYPE"] = "noop",
        ["HTTP_LISTEN"] = $"127.0.0.1:{port}",
        ["WORKER_ID"] = "ops-" + Guid.NewGuid().ToString("N")[..8],
        ["WORKER_CONCURRENCY"] = "2",
        ["WORKER_HEARTBEAT_INTERVAL"] = "0.5",
        ["WORKER_HEARTBEAT_TIMEOUT"] = "2",
        ["LOG_LEVEL"] = "warning",
    };

    /// <summary>The PostgreSQL DATABASE_URL a worker process must be given to share this server's database; null on SQLite.</summary>
    public string? PostgresUrl => Settings.Store.IsPostgres ? Settings.Source.GetValue("DATABASE_URL") : null;

    public static async Task<OpsHost> StartAsync(Action<Dictionary<string, string>>? configure = null, bool withWorker = false, StoreKind store = StoreKind.Sqlite)
    {
        var temp = new TempDirectory("mw-ops");
        var values = BaseSettings(temp.Path, FreePort.Next());
        if (store == StoreKind.Postgres)
        {
            values["DATABASE_URL"] = PostgresServer.Shared.CreateDatabase("http");
        }

        configure?.Invoke(values);
        var settings = WorkerSettings.Load(new SettingsSource(values, _ => null));
        ILoggerFactory loggerFactory = new TestContextLogger("ops");
        var catalog = new TaskCatalog();
        var plugins = new PluginHost(settings.PluginDirectory, settings.Source, loggerFactory, settings.Concurrency, catalog);
        var sources = new OperationsSources { PluginDirectory = plugins.PluginDirectory };
        var server = await OperationsServer.StartAsync(settings, sources, loggerFactory, CancellationToken.None);
        var host = new OpsHost(temp, settings, server, plugins, loggerFactory, settings.Http.ApiToken);
        if (withWorker)
        {
            var hooks = new RuntimeHooks
            {
                JobEvents = new JobEventSinks(new JobMetricsSink(), server.JobEvents),
                Started = worker => sources.UseWorker(worker, worker.BrokerConnected),
            };
            host._worker = Task.Run(() => new WorkerRuntime(settings, loggerFactory, hooks: hooks).RunAsync(host._workerStop.Token));
        }
        else
        {
            plugins.LoadAll();
            sources.UsePlugins(catalog);
        }

        return host;
    }

    /// <summary>A connection to the server's database for arranging rows directly.</summary>
    public DbConnection OpenDatabase()
    {
        var store = JobStores.For(Settings.Store);
        var connection = store.Open();
        store.Migrate(connection);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await _workerStop.CancelAsync();
        if (_worker is not null)
        {
            await _worker;
        }

        Client.Dispose();
        await Server.DisposeAsync();
        _plugins.Dispose();
        _loggerFactory.Dispose();
        _workerStop.Dispose();
        if (Settings.Store.PostgresConnectionString is { } connectionString)
        {
            // Each test has a database of its own: close this one's pooled connections now, not after Npgsql's idle timeout.
            using var pooled = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(pooled);
        }

        _temp.Dispose();
    }
}
