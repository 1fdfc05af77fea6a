using System.Collections.Concurrent;
using MediaWorker.Configuration;
using MediaWorker.Files;
using MediaWorker.Messaging;
using MediaWorker.Plugins;
using MediaWorker.Storage;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Execution;

/// <summary>
/// The daemon: puts the pieces together, runs until the first stop signal, drains, and exits.
/// Start-up order matters: instance lock, database (migrated), plugins, presence, then claiming.
/// </summary>
public sealed class WorkerRuntime(WorkerSettings settings, ILoggerFactory loggerFactory)
{
    private static readonly TimeSpan ForcedStopWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PresenceStopWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan DatabaseProbeBase = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan DatabaseProbeMax = TimeSpan.FromSeconds(15);
    private readonly ILogger _logger = loggerFactory.CreateLogger("MediaWorker.Worker");

    /// <summary>Runs the worker until <paramref name="stopping"/> fires; returns the process exit code.</summary>
    public async Task<int> RunAsync(CancellationToken stopping)
    {
        using var instance = InstanceLock.Acquire(settings.WorkerId, settings.Store.DatabasePath);
        Directory.CreateDirectory(settings.ComputeStorageDirectory);
        var clock = () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var connections = new SqliteConnectionFactory(settings.Store);
        using (var connection = connections.Open())
        {
            SchemaMigrator.Migrate(connection);
            var orphans = LeaseReaper.ReleaseOrphans(connection, settings.WorkerId, clock());
            if (orphans > 0)
            {
                _logger.LogWarning("{Count} job(s) were still leased to worker {WorkerId} from a process that stopped without finishing them; they are claimable again.", orphans, settings.WorkerId);
            }
        }

        var catalog = new TaskCatalog();
        var served = new ServedTasks(settings.SupportedTasks);
        using var plugins = new PluginHost(settings.PluginDirectory, settings.Source, loggerFactory, settings.Concurrency, catalog);
        var registry = plugins.LoadAll();
        served.Update(registry);
        ReportServed(registry, served);
        if (served.Current.Count == 0)
        {
            throw new InvalidOperationException(settings.SupportedTasks.Count == 0
                ? $"No task types are loaded: no plugin in PLUGIN_DIR '{settings.PluginDirectory}' loaded and the built-in tasks are missing."
                : $"None of the requested task types ({string.Join(", ", settings.SupportedTasks)}) is loaded; loaded are: {string.Join(", ", registry.Tasks.Keys.Order(StringComparer.Ordinal))}. Fix WORKER_SUPPORTED_TASKS (--tasks) or PLUGIN_DIR.");
        }

        var guard = new DatabaseFileGuard(settings.Store.DatabasePath);
        using var availability = new DatabaseAvailability(guard, new RetryBackoff(DatabaseProbeBase, DatabaseProbeMax), _logger);
        using var database = new DatabaseThread(connections, _logger, guard);
        await using var broadcaster = BroadcasterFactory.Create(settings.Broadcast, settings.ServerDirectory, loggerFactory);
        var events = new JobEventAnnouncer(broadcaster, settings.WorkerId, clock);
        await using var writer = new OutcomeWriter(database, clock, events);
        var wake = new WakeSignal();
        var active = new ConcurrentDictionary<string, ActiveJob>();
        var slots = new SlotPool(settings.Concurrency);
        var draining = false;
        // Called on every job start and end: the plugin list only changes with the registry, so it is built once per registry.
        IReadOnlyList<PluginSummary> PluginSummaries(TaskRegistry r) => r.Plugins.Select(p => new PluginSummary(p.Name, p.Version, p.Tasks)).ToList();
        var summaries = PluginSummaries(catalog.Current);
        WorkerSnapshot Snapshot() => new(settings.WorkerId, served.Current, settings.Concurrency, slots.Active, draining, Volatile.Read(ref summaries));
        void StateChanged() => broadcaster.UpdatePresence(Snapshot());

        catalog.Changed += changed =>
        {
            Volatile.Write(ref summaries, PluginSummaries(changed));
            served.Update(changed);
            ReportServed(changed, served);
            StateChanged();
            wake.Set();
        };

        var classifier = new OutcomeClassifier(new RetryBackoff(settings.RetryBackoffBase, settings.RetryBackoffMax));
        var policy = new SandboxPolicy(settings.ComputeStorageDirectory, settings.AllowedRoots);
        var runner = new JobRunner(catalog, policy, classifier, writer, events, loggerFactory.CreateLogger("MediaWorker.Jobs"), settings.WorkerId, clock, availability);
        var claimLoop = new ClaimLoop(database, slots, served, catalog, active, runner, wake, settings.PollInterval, settings.LeaseDuration, settings.WorkerId, clock, StateChanged, availability, _logger);
        var monitor = new ActiveJobMonitor(active, database, connections, events, settings.LeaseDuration, settings.WorkerId, clock, availability, _logger);

        using var watcher = new QueueChangeWatcher(settings.Store.DatabasePath, wake);
        using var background = new CancellationTokenSource();
        await broadcaster.StartAsync(Snapshot(), background.Token);
        plugins.StartWatching();
        var monitorTask = monitor.RunAsync(background.Token);
        var maintenanceTask = MaintainAsync(database, availability, clock, background.Token);
        _logger.LogInformation(
            "Worker {WorkerId} started (pid {Pid}): {Concurrency} slot(s), serving {Tasks}; database {Database}.",
            settings.WorkerId, Environment.ProcessId, settings.Concurrency, string.Join(", ", served.Current), settings.Store.DatabasePath);

        using (var claimStop = CancellationTokenSource.CreateLinkedTokenSource(stopping, availability.Lost))
        {
            await claimLoop.RunAsync(claimStop.Token);
        }

        if (availability.IsLost)
        {
            // Nothing these jobs produce can be recorded: stop them now instead of after the grace period.
            foreach (var job in active.Values)
            {
                job.Stop(StopReason.Shutdown);
            }
        }

        // First stop signal: stop claiming (done), announce draining, let running jobs finish.
        draining = true;
        StateChanged();
        _logger.LogInformation("Stopping: no new jobs; waiting up to {Grace} s for {Count} running job(s).", settings.ShutdownGrace.TotalSeconds, active.Count);
        await DrainAsync(claimLoop, active);

        await background.CancelAsync();
        await Task.WhenAll(monitorTask, maintenanceTask);
        await writer.DisposeAsync();
        using (var presenceStop = new CancellationTokenSource(PresenceStopWait))
        {
            await broadcaster.StopAsync(presenceStop.Token);
        }

        _logger.LogInformation("Worker {WorkerId} stopped.", settings.WorkerId);
        return availability.IsLost ? 1 : 0;
    }

    private async Task DrainAsync(ClaimLoop claimLoop, ConcurrentDictionary<string, ActiveJob> active)
    {
        var running = Task.WhenAll(claimLoop.Running.ToList());
        if (await Finished(running, settings.ShutdownGrace))
        {
            return;
        }

        _logger.LogWarning("The shutdown grace period ended; cancelling {Count} job(s) and putting them back in the queue.", active.Count);
        foreach (var job in active.Values)
        {
            job.Stop(StopReason.Shutdown);
        }

        if (!await Finished(running, ForcedStopWait))
        {
            _logger.LogError("{Count} job(s) ignored cancellation; exiting anyway, their leases will expire and they will be reclaimed.", active.Count);
        }
    }

    private static async Task<bool> Finished(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception)
        {
            return true; // failures were logged by the runners
        }
    }

    private async Task MaintainAsync(DatabaseThread database, DatabaseAvailability availability, Func<long> clock, CancellationToken cancellationToken)
    {
        var lastPurge = clock();
        using var timer = new PeriodicTimer(settings.Store.CheckpointInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (availability.IsUnwritable || availability.IsLost)
                {
                    continue; // the claim loop probes until writes work again; a checkpoint meanwhile can only fail
                }

                try
                {
                    var (walBytes, truncated) = await database.InvokeAsync(s => WalCheckpointer.Checkpoint(s.Connection, settings.Store.DatabasePath, settings.Store.WalSizeLimitBytes));
                    if (truncated)
                    {
                        _logger.LogInformation("The WAL had grown to {Bytes} bytes (limit {Limit}); checkpointed and truncated it.", walBytes, settings.Store.WalSizeLimitBytes);
                    }

                    if (settings.JobRetention > TimeSpan.Zero && clock() - lastPurge >= RetentionInterval.TotalMilliseconds)
                    {
                        lastPurge = clock();
                        var cutoff = clock() - (long)settings.JobRetention.TotalMilliseconds;
                        var purged = await database.InvokeAsync(s => JobAdministration.Purge(s.Connection, cutoff, null));
                        JobFolders.Delete(settings.ComputeStorageDirectory, purged);
                        if (purged.Count > 0)
                        {
                            _logger.LogInformation("Purged {Count} finished job(s) older than JOB_RETENTION.", purged.Count);
                        }
                    }
                }
                catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
                {
                    if (availability.Report(ex))
                    {
                        continue;
                    }

                    _logger.LogWarning(ex, "Database maintenance (checkpoint, retention) failed; it runs again at the next interval.");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void ReportServed(TaskRegistry registry, ServedTasks served)
    {
        // Plugin load failures are logged once by the plugin host, with their exception.
        if (served.Missing.Count > 0)
        {
            _logger.LogWarning(
                "Requested task types not available: {Missing} (loaded: {Loaded}).",
                string.Join(", ", served.Missing),
                string.Join(", ", registry.Tasks.Keys.Order(StringComparer.Ordinal)));
        }
    }
}
