using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Abstractions;

/// <summary>What the host hands a plugin when it asks for its handlers.</summary>
public sealed class PluginContext
{
    /// <summary>Creates a context; the host does this, tests may too.</summary>
    public PluginContext(string pluginDirectory, IPluginSettings settings, ILoggerFactory loggerFactory, int workerConcurrency)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginDirectory);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentOutOfRangeException.ThrowIfLessThan(workerConcurrency, 1);
        PluginDirectory = pluginDirectory;
        Settings = settings;
        LoggerFactory = loggerFactory;
        WorkerConcurrency = workerConcurrency;
    }

    /// <summary>The absolute path of the plugin's folder (where its manifest and assemblies are).</summary>
    public string PluginDirectory { get; }

    /// <summary>
    /// The daemon's settings as the user configured them (CLI flag, environment, worker.env file),
    /// for the plugin's own variables such as <c>WHISPER_MODEL_PATH</c>.
    /// </summary>
    public IPluginSettings Settings { get; }

    /// <summary>Creates loggers that write to the daemon's log.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>
    /// The number of job slots of this worker; a handler that spreads work over threads should use
    /// about <c>Environment.ProcessorCount / WorkerConcurrency</c> of them per job.
    /// </summary>
    public int WorkerConcurrency { get; }

    /// <summary>
    /// The daemon's clock. Handlers use it for every wait, deadline and timestamp (not
    /// <see cref="DateTime.UtcNow"/> or <see cref="Task.Delay(TimeSpan)"/>), so the host's tests can drive them with a fake clock.
    /// </summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
