namespace MediaWorker.Configuration;

/// <summary>
/// What loading the plugins needs, and nothing more (<c>mediaworker plugins</c>): a bad MQTT,
/// database or HTTP setting in worker.env does not stop a person from seeing what loads.
/// </summary>
public sealed record PluginHostSettings
{
    /// <summary>PLUGIN_DIR, absolute.</summary>
    public required string PluginDirectory { get; init; }

    /// <summary>WORKER_CONCURRENCY, handed to plugins as the worker's job slots.</summary>
    public required int Concurrency { get; init; }

    /// <summary>Every setting, for the plugins' own (GEMINI_*, SPEECH_*, ...).</summary>
    public required SettingsSource Source { get; init; }

    /// <summary>Reads PLUGIN_DIR and WORKER_CONCURRENCY; every invalid value is reported.</summary>
    public static PluginHostSettings Load(SettingsSource source)
    {
        var reader = new SettingsReader(source);
        var settings = new PluginHostSettings
        {
            PluginDirectory = WorkerSettings.ReadPluginDirectory(reader),
            Concurrency = WorkerSettings.ReadConcurrency(reader),
            Source = source,
        };
        reader.ThrowIfInvalid();
        return settings;
    }
}
