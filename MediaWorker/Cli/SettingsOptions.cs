using System.CommandLine;

namespace MediaWorker.Cli;

/// <summary>
/// Command-line flags that mirror settings (SPEC 9: flag &gt; environment &gt; worker.env &gt; default).
/// Each flag names the variable it overrides, so <c>--help</c> and worker.env.example tell the same story.
/// </summary>
public sealed class SettingsOptions
{
    private static readonly (string Flag, string Variable, string Description)[] EnvFileFlag =
    [
        ("--env-file", "WORKER_ENV_FILE", "Settings file to read (WORKER_ENV_FILE; default ./worker.env)."),
    ];

    private static readonly (string Flag, string Variable, string Description)[] DatabaseFlags =
    [
        ("--server-dir", "CL_SERVER_DIR", "Base folder for the database and job files (CL_SERVER_DIR)."),
        ("--database", "DATABASE_URL", "Job database: sqlite:///abs/path.db or a path (DATABASE_URL)."),
    ];

    private static readonly (string Flag, string Variable, string Description)[] BrokerFlags =
    [
        ("--mqtt-url", "MQTT_URL", "mqtt://[user[:password]@]host[:port] or mqtts://... (MQTT_URL)."),
        ("--mqtt-broker", "MQTT_BROKER", "MQTT broker host (MQTT_BROKER)."),
        ("--mqtt-port", "MQTT_PORT", "MQTT broker port (MQTT_PORT)."),
        ("--topic-prefix", "CAPABILITY_TOPIC_PREFIX", "Capability topic prefix (CAPABILITY_TOPIC_PREFIX)."),
        ("--heartbeat-interval", "MQTT_HEARTBEAT_INTERVAL", "Seconds between capability heartbeats (MQTT_HEARTBEAT_INTERVAL)."),
    ];

    private static readonly (string Flag, string Variable, string Description)[] WorkerFlags =
    [
        ("--compute-dir", "COMPUTE_STORAGE_DIR", "Where relative job paths resolve and outputs go (COMPUTE_STORAGE_DIR)."),
        ("--allowed-roots", "MEDIA_ALLOWED_ROOTS", "':'-separated folders absolute job paths must lie under (MEDIA_ALLOWED_ROOTS)."),
        ("--plugin-dir", "PLUGIN_DIR", "Folder of plugin folders (PLUGIN_DIR)."),
        ("--worker-id", "WORKER_ID", "This worker's id (WORKER_ID)."),
        ("--tasks", "WORKER_SUPPORTED_TASKS", "Comma list of task types to serve; default all loaded (WORKER_SUPPORTED_TASKS)."),
        ("--concurrency", "WORKER_CONCURRENCY", "Jobs run at once (WORKER_CONCURRENCY)."),
        ("--poll-interval", "WORKER_POLL_INTERVAL", "Upper bound in seconds between queue checks (WORKER_POLL_INTERVAL)."),
        ("--shutdown-grace", "WORKER_SHUTDOWN_GRACE", "Seconds running jobs get after the first stop signal (WORKER_SHUTDOWN_GRACE)."),
        ("--lease-seconds", "WORKER_LEASE_SECONDS", "Lease length in seconds (WORKER_LEASE_SECONDS)."),
        ("--log-level", "LOG_LEVEL", "verbose, debug, information, warning, error (LOG_LEVEL)."),
        ("--log-format", "LOG_FORMAT", "text or json (LOG_FORMAT)."),
        ("--log-file", "LOG_FILE", "Also write a daily rolling log file here (LOG_FILE)."),
        ("--broadcast", "BROADCAST_TYPE", "mqtt or noop (BROADCAST_TYPE)."),
    ];

    private static readonly (string Flag, string Variable, string Description)[] HttpFlags =
    [
        ("--http-listen", "HTTP_LISTEN", "host:port of the dashboard and HTTP API (HTTP_LISTEN; default 127.0.0.1:8780; run serves it only when set)."),
    ];

    private static readonly (string Flag, string Variable, string Description)[] ServeFlags =
    [
        ("--plugin-dir", "PLUGIN_DIR", "Folder of plugin folders (PLUGIN_DIR)."),
        ("--compute-dir", "COMPUTE_STORAGE_DIR", "Where job output folders are (COMPUTE_STORAGE_DIR)."),
        ("--log-level", "LOG_LEVEL", "verbose, debug, information, warning, error (LOG_LEVEL)."),
        ("--log-format", "LOG_FORMAT", "text or json (LOG_FORMAT)."),
    ];

    private readonly List<(Option<string?> Option, string Variable)> _options = [];

    private SettingsOptions()
    {
    }

    /// <summary>The database flags only (for submit, jobs, cancel, ...).</summary>
    public static SettingsOptions ForDatabase(Command command) => new SettingsOptions().Add(command, DatabaseFlags).Add(command, EnvFileFlag);

    /// <summary>The broker flags only (for workers).</summary>
    public static SettingsOptions ForBroker(Command command) => new SettingsOptions().Add(command, BrokerFlags).Add(command, EnvFileFlag);

    /// <summary>Every setting flag (for run).</summary>
    public static SettingsOptions ForWorker(Command command) =>
        new SettingsOptions().Add(command, DatabaseFlags).Add(command, EnvFileFlag).Add(command, WorkerFlags).Add(command, BrokerFlags).Add(command, HttpFlags);

    /// <summary>The flags of the operations surface (for serve).</summary>
    public static SettingsOptions ForServe(Command command) =>
        new SettingsOptions().Add(command, DatabaseFlags).Add(command, EnvFileFlag).Add(command, ServeFlags).Add(command, HttpFlags);

    /// <summary>The flags given on this command line, keyed by variable name.</summary>
    public IReadOnlyDictionary<string, string> Flags(ParseResult parseResult)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (option, variable) in _options)
        {
            if (parseResult.GetValue(option) is { Length: > 0 } value)
            {
                flags[variable] = value;
            }
        }

        return flags;
    }

    private SettingsOptions Add(Command command, (string Flag, string Variable, string Description)[] flags)
    {
        foreach (var (flag, variable, description) in flags)
        {
            var option = new Option<string?>(flag) { Description = description };
            command.Options.Add(option);
            _options.Add((option, variable));
        }

        return this;
    }
}
