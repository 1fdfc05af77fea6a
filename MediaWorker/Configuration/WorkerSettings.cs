using MediaWorker.Http.Hosting;

namespace MediaWorker.Configuration;

/// <summary>
/// The daemon's validated settings (SPEC 9). Every property maps to one variable documented in
/// worker.env.example; <see cref="Load"/> applies the defaults and reports every invalid value.
/// </summary>
public sealed record WorkerSettings
{
    public required string ServerDirectory { get; init; }
    public required StoreSettings Store { get; init; }
    public required string ComputeStorageDirectory { get; init; }
    public required IReadOnlyList<string> AllowedRoots { get; init; }
    public required string PluginDirectory { get; init; }
    public required string WorkerId { get; init; }
    /// <summary>Requested task types; empty means every loaded task.</summary>
    public required IReadOnlyList<string> SupportedTasks { get; init; }
    public required int Concurrency { get; init; }
    public required TimeSpan PollInterval { get; init; }
    public required TimeSpan ShutdownGrace { get; init; }
    public required TimeSpan LeaseDuration { get; init; }
    public required TimeSpan RetryBackoffBase { get; init; }
    public required TimeSpan RetryBackoffMax { get; init; }
    /// <summary>Finished jobs older than this are purged by the worker; zero keeps them.</summary>
    public required TimeSpan JobRetention { get; init; }
    /// <summary>How late a schedule's occurrence may start and still count as on time (SCHEDULE_MISFIRE_GRACE, docs/schedules.md).</summary>
    public TimeSpan ScheduleMisfireGrace { get; init; } = TimeSpan.FromSeconds(60);
    public required LogSettings Log { get; init; }
    public required BroadcastSettings Broadcast { get; init; }
    public required HeartbeatSettings Heartbeat { get; init; }
    /// <summary>The operations surface (HTTP API, dashboard, metrics).</summary>
    public required HttpSettings Http { get; init; }
    public required SettingsSource Source { get; init; }
    /// <summary>WEBHOOK_*: allowed URLs, the settings subscription, delivery timeouts and retries (issue 16).</summary>
    public Webhooks.WebhookSettings Webhooks { get; init; } = new();

    public static WorkerSettings Load(SettingsSource source)
    {
        var reader = new SettingsReader(source);
        var database = DatabaseSettings.Read(reader);
        var (serverDir, store, compute) = (database.ServerDirectory, database.Store, database.ComputeStorageDirectory);
        var roots = reader.Text("MEDIA_ALLOWED_ROOTS", serverDir)
            .Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => Path.GetFullPath(r))
            .ToList();
        if (roots.Count == 0)
        {
            reader.AddError("MEDIA_ALLOWED_ROOTS: the list is empty; give one or more absolute folders separated by ':'.");
        }

        var pluginDir = ReadPluginDirectory(reader);
        var workerId = reader.Text("WORKER_ID", "worker-" + Environment.MachineName);
        if (!IsValidWorkerId(workerId))
        {
            reader.AddError($"WORKER_ID: '{workerId}' is not allowed; use letters, digits, '.', '_' and '-' only (it becomes an MQTT topic level and a file name).");
        }

        var tasks = (reader.Optional("WORKER_SUPPORTED_TASKS") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var concurrency = ReadConcurrency(reader);
        var poll = reader.Seconds("WORKER_POLL_INTERVAL", TimeSpan.FromSeconds(1), 0.01, 3600);
        var grace = reader.Seconds("WORKER_SHUTDOWN_GRACE", TimeSpan.FromSeconds(30), 0, 86400);
        var lease = reader.Seconds("WORKER_LEASE_SECONDS", TimeSpan.FromSeconds(30), 1, 86400);
        var backoffBase = reader.Seconds("JOB_RETRY_BACKOFF_BASE", TimeSpan.FromSeconds(2), 0, 86400);
        var backoffMax = reader.Seconds("JOB_RETRY_BACKOFF_MAX", TimeSpan.FromMinutes(10), 0, 7 * 86400);
        var retention = reader.Seconds("JOB_RETENTION", TimeSpan.Zero, 0, 3650 * 86400.0);
        var misfireGrace = reader.Seconds("SCHEDULE_MISFIRE_GRACE", TimeSpan.FromSeconds(60), 0, 3600);
        var log = LogSettings.Read(reader);
        var broadcast = BroadcastSettings.Read(reader, workerId);
        var heartbeat = HeartbeatSettings.Read(reader);
        var http = HttpSettings.Read(reader);
        var webhooks = MediaWorker.Webhooks.WebhookSettings.Read(reader);
        reader.ThrowIfInvalid();

        return new WorkerSettings
        {
            ServerDirectory = serverDir,
            Store = store,
            ComputeStorageDirectory = compute,
            AllowedRoots = roots,
            PluginDirectory = pluginDir,
            WorkerId = workerId,
            SupportedTasks = tasks,
            Concurrency = concurrency,
            PollInterval = poll,
            ShutdownGrace = grace,
            LeaseDuration = lease,
            RetryBackoffBase = backoffBase,
            RetryBackoffMax = backoffMax,
            JobRetention = retention,
            ScheduleMisfireGrace = misfireGrace,
            Log = log,
            Broadcast = broadcast,
            Heartbeat = heartbeat,
            Http = http,
            Source = source,
            Webhooks = webhooks,
        };
    }

    /// <summary>PLUGIN_DIR, absolute; also read alone by <c>submit</c>, which checks the task type against the plugins.</summary>
    internal static string ReadPluginDirectory(SettingsReader reader) =>
        Path.GetFullPath(reader.Text("PLUGIN_DIR", Path.Combine(AppContext.BaseDirectory, "plugins")));

    /// <summary>WORKER_CONCURRENCY; also read by <c>plugins</c>, which hands it to the plugins.</summary>
    internal static int ReadConcurrency(SettingsReader reader) =>
        reader.WholeNumber("WORKER_CONCURRENCY", Environment.ProcessorCount, 1, 1024);

    private static bool IsValidWorkerId(string id) =>
        id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
