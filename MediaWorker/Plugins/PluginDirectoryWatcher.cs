using System.Collections.Concurrent;
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
/// <para>All decisions run on one background loop; the callbacks are invoked from it, one at a time.</para>
/// </remarks>
internal sealed class PluginDirectoryWatcher : IDisposable
{
    /// <summary>How often the top level is listed when nothing happens, in case file events were lost.</summary>
    private static readonly TimeSpan RescanInterval = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly Action<string> _folderSettled;
    private readonly Action<string> _folderRemoved;
    private readonly ILogger _logger;
    private readonly TimeSpan _quietPeriod;
    private readonly TimeSpan _incompleteGrace;

    /// <summary>Folder name → the snapshot it had when it was last handled (loaded or reported).</summary>
    private readonly Dictionary<string, FolderSnapshot> _handled;

    /// <summary>Folder name → the state of a folder that changed and has not settled yet.</summary>
    private readonly Dictionary<string, PendingFolder> _pending = new(StringComparer.Ordinal);

    /// <summary>Top-level names touched by file events, filled by the watcher's threads.</summary>
    private readonly ConcurrentQueue<string> _touched = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private FileSystemWatcher? _watcher;
    private Task? _loop;
    private volatile bool _rescanAll;
    private int _signalled;

    /// <param name="directory">The plugin directory (must exist).</param>
    /// <param name="handled">Folders already handled by the initial load, with their snapshots then.</param>
    /// <param name="folderSettled">Called with a folder's full path when it is ready to load.</param>
    /// <param name="folderRemoved">Called with a folder's full path after a handled folder disappeared.</param>
    /// <param name="logger">Where watcher problems are logged.</param>
    /// <param name="quietPeriod">How long a folder must stay unchanged before it is reported.</param>
    /// <param name="incompleteGrace">How long an unchanged folder without manifest or entry assembly is waited for before it is reported anyway (and fails to load with the reason).</param>
    public PluginDirectoryWatcher(
        string directory,
        IReadOnlyDictionary<string, FolderSnapshot> handled,
        Action<string> folderSettled,
        Action<string> folderRemoved,
        ILogger logger,
        TimeSpan quietPeriod,
        TimeSpan incompleteGrace)
    {
        _directory = directory;
        _handled = new Dictionary<string, FolderSnapshot>(handled, StringComparer.Ordinal);
        _folderSettled = folderSettled;
        _folderRemoved = folderRemoved;
        _logger = logger;
        _quietPeriod = quietPeriod;
        _incompleteGrace = incompleteGrace;
    }

    public void Start()
    {
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
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(() => RunAsync(_stop.Token));
        }

        Wake();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _watcher?.Dispose();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop logs its own failures; disposal must not throw.
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var lastEvaluation = long.MinValue / 2;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Events only mark folders; snapshots are compared at most once per poll interval,
                // so a copy of thousands of files costs a handful of directory listings, not thousands.
                var untilDue = lastEvaluation + (long)SettlePollInterval.TotalMilliseconds - Environment.TickCount64;
                var timeout = _pending.Count == 0 ? RescanInterval : TimeSpan.FromMilliseconds(Math.Max(0, untilDue));
                var woken = timeout > TimeSpan.Zero && await _wake.WaitAsync(timeout, cancellationToken);
                Interlocked.Exchange(ref _signalled, 0);
                DrainTouched();
                if (_rescanAll || (!woken && _pending.Count == 0))
                {
                    _rescanAll = false;
                    Rescan();
                }

                if (_pending.Count > 0 && Environment.TickCount64 - lastEvaluation >= (long)SettlePollInterval.TotalMilliseconds)
                {
                    EvaluatePending();
                    lastEvaluation = Environment.TickCount64;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A watcher problem must never stop the daemon; drop-in resumes with the next event.
                _logger.LogError(ex, "Plugin directory watcher: checking {Directory} failed; will retry", _directory);
                await Task.Delay(_quietPeriod, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
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
        var present = Directory.Exists(_directory)
            ? Directory.EnumerateDirectories(_directory).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal)
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

    private void EvaluatePending()
    {
        var now = Environment.TickCount64;
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

            var quietFor = TimeSpan.FromMilliseconds(now - pending.ChangedAt);
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
        Wake();
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
        Wake();
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 1)
        {
            return;
        }

        try
        {
            _wake.Release();
        }
        catch (ObjectDisposedException)
        {
            // An event raced with Dispose.
        }
    }

    private sealed class PendingFolder
    {
        public FolderSnapshot? Last { get; set; }

        public long ChangedAt { get; set; }
    }
}
