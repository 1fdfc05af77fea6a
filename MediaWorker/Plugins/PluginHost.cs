using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.BuiltIn;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins;

/// <summary>
/// Loads the built-in tasks and every plugin folder under the plugin directory into a
/// <see cref="TaskRegistry"/>, publishes it to the <see cref="TaskCatalog"/>, and, once watching,
/// loads plugin folders dropped in while the daemon runs.
/// </summary>
/// <remarks>
/// <para>A plugin that cannot load (bad manifest, wrong contract major, missing dependency, type load
/// error, an exception in its constructor or <c>CreateHandlers</c>, a task type or name another
/// plugin already has) is logged and listed in <see cref="TaskRegistry.Failures"/> with its reason;
/// the others load, and nothing a plugin does stops the daemon.</para>
/// <para>Folders are loaded in ordinal order of their names, so when two plugins declare the same
/// task type the outcome does not depend on the file system. Loaded plugins are never unloaded
/// (see <see cref="PluginLoadContext"/>): changing or removing a loaded folder takes a restart.</para>
/// <para>Thread-safe: the initial load and drop-in loads are serialised.</para>
/// </remarks>
public sealed class PluginHost : IDisposable
{
    private static readonly TimeSpan DefaultQuietPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DefaultIncompleteGrace = TimeSpan.FromSeconds(10);

    private readonly string _pluginDirectory;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TaskCatalog _catalog;
    private readonly PluginFolderLoader _loader;
    private readonly PluginContext _builtInContext;
    private readonly TimeSpan _quietPeriod;
    private readonly TimeSpan _incompleteGrace;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<ITaskHandler> _extraHandlers;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FolderSnapshot> _initialSnapshots = new(StringComparer.Ordinal);
    private TaskRegistry? _registry;
    private PluginDirectoryWatcher? _watcher;
    private bool _disposed;

    /// <summary>Creates a host; nothing is loaded until <see cref="LoadAll"/>.</summary>
    /// <param name="pluginDirectory">The folder holding one sub-folder per plugin (<c>PLUGIN_DIR</c>).</param>
    /// <param name="settings">The daemon's settings, handed to plugins.</param>
    /// <param name="loggerFactory">Creates the host's logger and the plugins' loggers.</param>
    /// <param name="workerConcurrency">The worker's job slots, handed to plugins.</param>
    /// <param name="catalog">Where each new registry is published.</param>
    /// <param name="time">The daemon's clock, handed to every plugin (<see cref="PluginContext.Time"/>); the system clock when null.</param>
    /// <param name="extraHandlers">Handlers registered with the built-in tasks (in-process tests of the runtime).</param>
    public PluginHost(string pluginDirectory, IPluginSettings settings, ILoggerFactory loggerFactory, int workerConcurrency, TaskCatalog catalog, TimeProvider? time = null, IReadOnlyList<ITaskHandler>? extraHandlers = null)
        : this(pluginDirectory, settings, loggerFactory, workerConcurrency, catalog, DefaultQuietPeriod, DefaultIncompleteGrace, time, extraHandlers)
    {
    }

    /// <summary>Creates a host with drop-in timings a test can shorten.</summary>
    internal PluginHost(
        string pluginDirectory,
        IPluginSettings settings,
        ILoggerFactory loggerFactory,
        int workerConcurrency,
        TaskCatalog catalog,
        TimeSpan quietPeriod,
        TimeSpan incompleteGrace,
        TimeProvider? time = null,
        IReadOnlyList<ITaskHandler>? extraHandlers = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginDirectory);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(catalog);
        _pluginDirectory = Path.GetFullPath(pluginDirectory);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<PluginHost>();
        _catalog = catalog;
        _time = time ?? TimeProvider.System;
        _extraHandlers = extraHandlers ?? [];
        _loader = new PluginFolderLoader(settings, loggerFactory, workerConcurrency, _time);
        _builtInContext = new PluginContext(AppContext.BaseDirectory, settings, loggerFactory, workerConcurrency) { Time = _time };
        _quietPeriod = quietPeriod;
        _incompleteGrace = incompleteGrace;
    }

    /// <summary>The plugin directory, as an absolute path.</summary>
    public string PluginDirectory => _pluginDirectory;

    /// <summary>
    /// Loads the built-in tasks and every plugin folder, publishes the registry to the catalog and returns it.
    /// Never throws because of a plugin; failures are in <see cref="TaskRegistry.Failures"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called a second time.</exception>
    public TaskRegistry LoadAll()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_registry is not null)
            {
                throw new InvalidOperationException("LoadAll() was already called; the watcher (CreateWatcher()) loads new plugin folders as they appear.");
            }

            var builder = new TaskRegistryBuilder();
            AddBuiltIns(builder);
            foreach (var folder in ListPluginFolders())
            {
                // Taken before loading, so a folder still being copied now is looked at again by the watcher.
                if (FolderSnapshot.Take(folder) is { } snapshot)
                {
                    _initialSnapshots[Path.GetFileName(folder)] = snapshot;
                }

                LoadFolder(builder, folder);
            }

            var registry = builder.Build();
            _logger.LogInformation(
                "Plugin host: {TaskCount} task types from {PluginCount} plugins ({Plugins}); {FailureCount} plugin folders failed to load",
                registry.Tasks.Count,
                registry.Plugins.Count,
                string.Join(", ", registry.Plugins.Select(p => p.Name)),
                registry.Failures.Count);
            Publish(registry);
            return registry;
        }
    }

    /// <summary>
    /// The hosted loop that loads plugin folders appearing (or changing after failing) while the
    /// daemon runs: a folder is loaded once its manifest and entry assembly exist and its files
    /// stopped changing, then a new registry is published (<see cref="TaskCatalog.Changed"/> fires).
    /// The caller starts and stops it with its other loops; this host disposes it.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="LoadAll"/> was not called first, or the watcher was already created.</exception>
    public PluginDirectoryWatcher CreateWatcher()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_registry is null)
            {
                throw new InvalidOperationException("Call LoadAll() before CreateWatcher().");
            }

            if (_watcher is not null)
            {
                throw new InvalidOperationException("The plugin directory watcher was already created; one host has one.");
            }

            _watcher = new PluginDirectoryWatcher(
                _pluginDirectory,
                _initialSnapshots,
                OnFolderSettled,
                OnFolderRemoved,
                _loggerFactory.CreateLogger<PluginDirectoryWatcher>(),
                _quietPeriod,
                _incompleteGrace,
                _time);
            return _watcher;
        }
    }

    /// <summary>Disposes the watcher, if one was created. Loaded plugins stay loaded (their handlers may still be running).</summary>
    public void Dispose()
    {
        PluginDirectoryWatcher? watcher;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            watcher = _watcher;
            _watcher = null;
        }

        // Outside the lock: the watcher's loop may be waiting for it in a callback.
        watcher?.Dispose();
    }

    private void AddBuiltIns(TaskRegistryBuilder builder)
    {
        var handlers = new BuiltInPlugin(_time).CreateHandlers(_builtInContext).Concat(_extraHandlers).ToList();
        var failure = builder.TryAdd(new PluginHandlers(BuiltInPlugin.Name, BuiltInPlugin.Version, AppContext.BaseDirectory, handlers));
        if (failure is not null)
        {
            throw new InvalidOperationException("The built-in tasks could not be registered: " + failure.Reason);
        }
    }

    private List<string> ListPluginFolders()
    {
        if (!Directory.Exists(_pluginDirectory))
        {
            _logger.LogWarning("Plugin host: the plugin directory {Directory} does not exist; only the built-in tasks are available", _pluginDirectory);
            return [];
        }

        try
        {
            return Directory.EnumerateDirectories(_pluginDirectory)
                .Where(d => !Path.GetFileName(d).StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogError(ex, "Plugin host: the plugin directory {Directory} could not be listed; only the built-in tasks are available", _pluginDirectory);
            return [];
        }
    }

    private void LoadFolder(TaskRegistryBuilder builder, string folder)
    {
        var result = _loader.Load(folder);
        var failure = result.Failure ?? builder.TryAdd(result.Plugin!);
        if (failure is null)
        {
            var plugin = result.Plugin!;
            _logger.LogInformation(
                "Plugin host: loaded plugin {Plugin} {Version} from {Folder}: {Tasks}",
                plugin.Name,
                plugin.Version,
                folder,
                plugin.Handlers.Count == 0 ? "no tasks" : string.Join(", ", plugin.Handlers.Select(h => h.Descriptor.TaskType)));
            return;
        }

        builder.AddFailure(failure);
        _logger.LogError(
            result.Cause,
            "Plugin host: plugin folder {Folder} ({Plugin}) was skipped: {Reason}",
            folder,
            failure.Name ?? "name unknown",
            failure.Reason);
    }

    private void OnFolderSettled(string folder)
    {
        lock (_gate)
        {
            if (_disposed || _registry is null)
            {
                return;
            }

            if (_registry.Plugins.FirstOrDefault(p => p.Directory == folder) is { } loaded)
            {
                _logger.LogWarning(
                    "Plugin host: the folder of plugin {Plugin} ({Folder}) changed; the loaded version keeps serving until the worker restarts",
                    loaded.Name,
                    folder);
                return;
            }

            var builder = new TaskRegistryBuilder(_registry);
            LoadFolder(builder, folder);
            Publish(builder.Build());
        }
    }

    private void OnFolderRemoved(string folder)
    {
        lock (_gate)
        {
            if (_disposed || _registry is null)
            {
                return;
            }

            if (_registry.Plugins.FirstOrDefault(p => p.Directory == folder) is { } loaded)
            {
                _logger.LogWarning(
                    "Plugin host: the folder of plugin {Plugin} ({Folder}) was removed; its tasks keep being served until the worker restarts",
                    loaded.Name,
                    folder);
                return;
            }

            var builder = new TaskRegistryBuilder(_registry);
            if (builder.RemoveFailure(folder))
            {
                Publish(builder.Build());
            }
        }
    }

    private void Publish(TaskRegistry registry)
    {
        _registry = registry;
        try
        {
            _catalog.Publish(registry);
        }
        catch (Exception ex)
        {
            // A subscriber's fault (presence, runtime) must not undo the load or stop the watcher.
            _logger.LogError(ex, "Plugin host: a subscriber to task catalog changes failed");
        }
    }
}
