using MediaWorker.Configuration;
using MediaWorker.Execution;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Tests.Webhooks.Support;

/// <summary>
/// The daemon in-process on the real clock (deliveries wait on real sockets and real backoff), with
/// a real SQLite file and test handlers beside the built-in tasks, webhook_delivery among them.
/// </summary>
internal sealed class WebhookWorker : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("mw-webhooks");
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, string> _values;
    private readonly IReadOnlyList<ITaskHandler> _handlers;
    private WorkerRuntime? _runtime;
    private Task<int>? _run;

    public WebhookWorker(string allowedPrefixes, IReadOnlyList<ITaskHandler>? handlers = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        _values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CL_SERVER_DIR"] = _directory.Path,
            ["PLUGIN_DIR"] = Path.Combine(_directory.Path, "plugins"),
            ["WORKER_ID"] = "webhooks-" + Guid.NewGuid().ToString("N")[..8],
            ["BROADCAST_TYPE"] = "noop",
            ["WORKER_CONCURRENCY"] = "4",
            ["WORKER_POLL_INTERVAL"] = "0.05",
            ["WEBHOOK_ALLOWED_URL_PREFIXES"] = allowedPrefixes,
            ["WEBHOOK_RETRY_BASE"] = "0.2",
            ["WEBHOOK_RETRY_MAX"] = "1",
            ["JOB_RETRY_BACKOFF_BASE"] = "0.05",
            ["JOB_RETRY_BACKOFF_MAX"] = "0.1",
            ["WEBHOOK_TIMEOUT"] = "2",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            _values[name] = value;
        }

        _handlers = handlers ?? [];
        Settings = WorkerSettings.Load(new SettingsSource(_values, _ => null));
        Connection = new SqliteConnectionFactory(Settings.Store).Open();
        SchemaMigrator.Migrate(Connection);
    }

    public WorkerSettings Settings { get; }

    /// <summary>A connection of the test's own, to submit and read.</summary>
    public SqliteConnection Connection { get; }

    public RecordingLoggerFactory Logs { get; } = new();

    public static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public async Task StartAsync()
    {
        _runtime = new WorkerRuntime(Settings, Logs, TimeProvider.System, _handlers);
        _run = Task.Run(() => _runtime.RunAsync(_stop.Token));
        await Task.WhenAny(_runtime.Started, _run);
        if (_run.IsCompleted)
        {
            await _run;
            throw new InvalidOperationException("The worker stopped at start-up.");
        }
    }

    public string Submit(string taskType, string parameters = "{}") => JobSubmitter.Submit(Connection, new NewJob(taskType, parameters), NowMs).JobId;

    public JobRecord Row(string jobId) => JobAdministration.Find(Connection, jobId) ?? throw new InvalidOperationException("no row " + jobId);

    public static Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout) => DaemonEnvironment.EventuallyAsync(condition, timeout);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run;
        }

        Connection.Dispose();
        _stop.Dispose();
        _directory.Dispose();
    }
}
