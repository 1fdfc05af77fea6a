namespace MediaWorker.Execution;

/// <summary>
/// Tells its caller (the claim loop's wake-up, the job monitor's) when a process commits to the
/// database. In WAL mode every commit appends to the <c>-wal</c> file, so an inotify watch on it (FileSystemWatcher) fires within
/// microseconds of an INSERT by any producer, and costs nothing while the queue is quiet: no busy
/// polling. <c>WORKER_POLL_INTERVAL</c> remains the upper bound if an event is ever missed.
/// </summary>
public sealed class QueueChangeWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;

    public QueueChangeWatcher(string databasePath, Action changed)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        _watcher = new FileSystemWatcher(directory, Path.GetFileName(databasePath) + "-wal")
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
            InternalBufferSize = 64 * 1024,
        };
        _watcher.Changed += (_, _) => changed();
        _watcher.Created += (_, _) => changed();
        // An overflow means we missed events: wake up and look, the claim is cheap.
        _watcher.Error += (_, _) => changed();
        _watcher.EnableRaisingEvents = true;
    }

    public void Dispose() => _watcher.Dispose();
}
