using System.Collections.Concurrent;
using MediaWorker.Concurrency;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins;

/// <summary>
/// Watches the plugin directory and reports a plugin folder once it has settled: its manifest and
/// entry assembly exist and none of its files changed for a quiet period. A folder that was already
/// reported is reported again only after it changes; a folder that disappears is reported as removed.
/// </summary>
/// <remarks>
/// <para>Copying a plugin in takes many file events; loading half a folder would fail or, worse,
/// load a stale dependency, so events only mark a folder as worth a look and the decision is made
/// by comparing snapshots. A folder whose name starts with '.' is ignored, so
/// <c>cp -r X .X.tmp &amp;&amp; mv .X.tmp X</c> drops a plugin in atomically.</para>
/// <para>All decisions run on one background loop, a hosted service the worker starts and stops with
/// its other loops; the callbacks are invoked from it, one at a time. Quiet periods and rescans run on
/// the daemon's <see cref="TimeProvider"/>.</para>
/// </remarks>
public sealed class PluginDirectoryWatcher : BackgroundService
{
    /// <summary>How often the top level is listed when nothing happens, in case file events were lost.</summary>
    private static readonly TimeSpan RescanInterval = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly Action<string> _folderSettled;
    private readonly Action<string> _folderRemoved;
    private readonly ILogger _logger;
    private readonly TimeSpan _quietPeriod;
    private readonly TimeSpan _incompleteGrace;
    private readonly TimeProvider _time;

    /// <summary>Folder name → the snapshot it had when it was last handled (loaded or reported).</summary>
    private readonly Dictionary<string, FolderSnapshot> _handled;

    /// <summary>Folder name → the state of a folder that changed and has not settled yet.</summary>
    private readonly Dictionary<string, PendingFolder> _pending = new(StringComparer.Ordinal);

    /// <summary>Top-level names touched by file events, filled by the watcher's threads.</summary>
    private readonly ConcurrentQueue<string> _touched = new();
    private readonly WakeSignal _wake = new();
    private FileSystemWatcher? _watcher;
    private volatile bool _rescanAll;

    /// <param name="directory">The plugin directory (must exist).</param>
    /// <param name="handled">Folders already handled by the initial load, with their snapshots then.</param>
    /// <param name="folderSettled">Called with a folder's full path when it is ready to load.</param>
    /// <param name="folderRemoved">Called with a folder's full path after a handled folder disappeared.</param>
    /// <param name="logger">Where watcher problems are logged.</param>
    /// <param name="quietPeriod">How long a folder must stay unchanged before it is reported.</param>
    /// <param name="incompleteGrace">How long an unchanged folder without manifest or entry assembly is waited for before it is reported anyway (and fails to load with the reason).</param>
    /// <param name="time">The clock of quiet periods and rescans.</param>
    internal PluginDirectoryWatcher(
        string directory,
        IReadOnlyDictionary<string, FolderSnapshot> handled,
        Action<string> folderSettled,
        Action<string> folderRemoved,
        ILogger logger,
        TimeSpan quietPeriod,
        TimeSpan incompleteGrace,
        TimeProvider time)
    {
        _directory = directory;
        _handled = new Dictionary<string, FolderSnapshot>(handled, StringComparer.Ordinal);
        _folderSettled = folderSettled;
        _folderRemoved = folderRemoved;
        _logger = logger;
        _quietPeriod = quietPeriod;
        _incompleteGrace = incompleteGrace;
        _time = time;
    }

    /// <summary>The watched directory, as given.</summary>
    public string Directory => _directory;

    /// <summary>Subscribes to file events and starts the loop; a missing directory is reported once and not watched.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(_directory))
        {
            _logger.LogWarning(
                "Plugin host: the plugin directory {Directory} does not exist, so plugins dropped in will not be noticed; create it (PLUGIN_DIR) and restart",
                _directory);
            return Task.CompletedTask;
        }

        _watcher = new FileSystemWatcher(_directory)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            InternalBufferSize = 64 * 1024,
        };
        _watcher.Created += OnChanged;
        _watcher.Changed += OnChanged;
        _watcher.Deleted += OnChanged;
        _watcher.Renamed += OnRenamed;
        _watcher.Error += OnError;
        _watcher.EnableRaisingEvents = true;

        // Whatever arrived between the initial load and now is looked at once.
        _rescanAll = true;
        _wake.Set();
        _logger.LogInformation("Plugin host: watching {Directory} for new plugin folders", _directory);
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Stops the file events, then the loop (bounded by <paramref name="cancellationToken"/>).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _watcher?.Dispose();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _watcher?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the starter's thread: the first pass lists the directory.
        await Task.Yield();
        var lastEvaluation = (TimeSpan?)null;
        var started = _time.GetTimestamp();
        TimeSpan Now() => _time.GetElapsedTime(started);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Events only mark folders; snapshots are compared at most once per poll interval,
                // so a copy of thousands of files costs a handful of directory listings, not thousands.
                var untilDue = lastEvaluation is { } last ? last + SettlePollInterval - Now() : TimeSpan.Zero;
                var timeout = _pending.Count == 0 ? RescanInterval : (untilDue > TimeSpan.Zero ? untilDue : TimeSpan.Zero);
                var woken = timeout > TimeSpan.Zero && await _wake.WaitAsync(timeout, _time, stoppingToken);
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                DrainTouched();
                if (_rescanAll || (!woken && _pending.Count == 0))
                {
                    _rescanAll = false;
                    Rescan();
                }

                if (_pending.Count > 0 && (lastEvaluation is not { } previous || Now() - previous >= SettlePollInterval))
                {
                    EvaluatePending(Now());
                    lastEvaluation = Now();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A watcher problem must never stop the daemon; drop-in resumes with the next event.
                _logger.LogError(ex, "Plugin directory watcher: checking {Directory} failed; will retry", _directory);
                await _wake.WaitAsync(_quietPeriod, _time, stoppingToken);
            }
        }
    }

    private TimeSpan SettlePollInterval => TimeSpan.FromTicks(Math.Max(_quietPeriod.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks));

    private void DrainTouched()
    {
        while (_touched.TryDequeue(out var name))
        {
            MarkPending(name);
        }
    }

    /// <summary>Marks every folder that is new, changed or gone since it was handled.</summary>
    private void Rescan()
    {
        var present = System.IO.Directory.Exists(_directory)
            ? System.IO.Directory.EnumerateDirectories(_directory).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var name in present.Where(n => !_handled.ContainsKey(n)))
        {
            MarkPending(name);
        }

        foreach (var name in _handled.Keys.Where(n => !present.Contains(n)).ToList())
        {
            MarkPending(name);
        }
    }

    private void MarkPending(string name)
    {
        if (name.StartsWith('.') || _pending.ContainsKey(name))
        {
            return;
        }

        _pending[name] = new PendingFolder();
    }

    private void EvaluatePending(TimeSpan now)
    {
        foreach (var (name, pending) in _pending.ToList())
        {
            var path = Path.Combine(_directory, name);
            var snapshot = FolderSnapshot.Take(path);
            if (snapshot is null)
            {
                _pending.Remove(name);
                if (_handled.Remove(name))
                {
                    Invoke(_folderRemoved, path);
                }

                continue;
            }

            if (pending.Last is null || !snapshot.Matches(pending.Last))
            {
                pending.Last = snapshot;
                pending.ChangedAt = now;
                continue;
            }

            if (_handled.TryGetValue(name, out var handled) && snapshot.Matches(handled))
            {
                _pending.Remove(name);
                continue;
            }

            var quietFor = now - pending.ChangedAt;
            if (quietFor < _quietPeriod || (!snapshot.IsComplete && quietFor < _incompleteGrace))
            {
                continue;
            }

            _pending.Remove(name);
            _handled[name] = snapshot;
            Invoke(_folderSettled, path);
        }
    }

    private void Invoke(Action<string> callback, string path)
    {
        try
        {
            callback(path);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Plugin directory watcher: handling {Folder} failed", path);
        }
    }

    private void OnChanged(object sender, FileSystemEventArgs e) => Touch(e.FullPath);

    private void OnRenamed(object sender, RenamedEventArgs e)
    {
        Touch(e.OldFullPath);
        Touch(e.FullPath);
    }

    private void OnError(object sender, ErrorEventArgs e)
    {
        // Typically an inotify queue overflow: events were lost, so everything is compared again.
        _logger.LogWarning(e.GetException(), "Plugin directory watcher: file events for {Directory} were lost; rescanning", _directory);
        _rescanAll = true;
        _wake.Set();
    }

    private void Touch(string fullPath)
    {
        var relative = Path.GetRelativePath(_directory, fullPath);
        if (relative == "." || relative.StartsWith("..", StringComparison.Ordinal))
        {
            return;
        }

        var separator = relative.IndexOf(Path.DirectorySeparatorChar, StringComparison.Ordinal);
        _touched.Enqueue(separator < 0 ? relative : relative[..separator]);
        _wake.Set();
    }

    private sealed class PendingFolder
    {
        public FolderSnapshot? Last { get; set; }

        public TimeSpan ChangedAt { get; set; }
    }
}
