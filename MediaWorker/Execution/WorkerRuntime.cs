using System.Collections.Concurrent;
using MediaWorker.Concurrency;
using MediaWorker.Configuration;
using MediaWorker.Execution.Writing;
using MediaWorker.Files;
using MediaWorker.Messaging;
using MediaWorker.Plugins;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Schedules;
using MediaWorker.Storage;
using MediaWorker.Storage.Postgres;
using MediaWorker.Webhooks.Delivery;
using MediaWorker.Webhooks.Subscriptions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Execution;

/// <summary>
/// The daemon: puts the pieces together, runs until the first stop signal, drains, and exits.
/// Start-up order matters: instance lock, database (migrated), plugins, presence, then claiming.
/// Every long-running loop is an <see cref="IHostedService"/> started here, in that order, and
/// stopped here in reverse.
/// </summary>
/// <param name="settings">The validated settings.</param>
/// <param name="loggerFactory">Where everything logs.</param>
/// <param name="time">The clock for leases, backoff, timers and throttling; the system clock when null.</param>
/// <param name="extraHandlers">Task handlers served beside the built-in ones (in-process tests).</param>
/// <param name="broadcaster">Announces presence and job events; built from <c>BROADCAST_TYPE</c> when null.</param>
/// <param name="hooks">Observers in the same process (the operations surface of <c>mediaworker run</c>).</param>
public sealed class WorkerRuntime(
    WorkerSettings settings,
    ILoggerFactory loggerFactory,
    TimeProvider? time = null,
    IReadOnlyList<ITaskHandler>? extraHandlers = null,
    IWorkerBroadcaster? broadcaster = null,
    RuntimeHooks? hooks = null)
{
    private readonly RuntimeHooks _hooks = hooks ?? RuntimeHooks.None;
    private static readonly TimeSpan ForcedStopWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PresenceStopWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DatabaseProbeBase = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan DatabaseProbeMax = TimeSpan.FromSeconds(15);
    private readonly ILogger _logger = loggerFactory.CreateLogger("MediaWorker.Worker");
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the worker claims jobs (after start-up), for callers that run it in-process.</summary>
    public Task Started => _started.Task;

    /// <summary>Runs the worker until <paramref name="stopping"/> fires; returns the process exit code.</summary>
    public async Task<int> RunAsync(CancellationToken stopping)
    {
        long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
        using var instance = InstanceLock.Acquire(settings.WorkerId, settings.Store.DatabasePath);
        Directory.CreateDirectory(settings.ComputeStorageDirectory);
        var store = JobStores.For(settings.Store);
        using (var connection = store.Open())
        {
            store.Migrate(connection);
            var orphans = LeaseReaper.ReleaseOrphans(connection, settings.WorkerId, Now());
            if (orphans > 0)
            {
                _logger.LogWarning("{Count} job(s) were still leased to worker {WorkerId} from a process that stopped without finishing them; they are claimable again.", orphans, settings.WorkerId);
            }

            SyncSettingsWebhook(connection, Now());
        }

        var catalog = new TaskCatalog();
        var served = new ServedTasks(settings.SupportedTasks);
        using var webhookSender = new WebhookSender(settings.Webhooks.RequestTimeout, _time);
        var webhookDelivery = new WebhookDeliveryHandler(settings.Webhooks, store, webhookSender, new WebhookRetrySchedule(settings.Webhooks.RetryBase, settings.Webhooks.RetryMax));
        using var plugins = new PluginHost(settings.PluginDirectory, settings.Source, loggerFactory, settings.Concurrency, catalog, _time, [.. extraHandlers ?? [], webhookDelivery]);
        var registry = plugins.LoadAll();
        served.Update(registry);
        ReportServed(registry, served);
        if (served.Current.Count == 0)
        {
            throw new InvalidOperationException(settings.SupportedTasks.Count == 0
                ? $"No task types are loaded: no plugin in PLUGIN_DIR '{settings.PluginDirectory}' loaded and the built-in tasks are missing."
                : $"None of the requested task types ({string.Join(", ", settings.SupportedTasks)}) is loaded; loaded are: {string.Join(", ", registry.Tasks.Keys.Order(StringComparer.Ordinal))}. Fix WORKER_SUPPORTED_TASKS (--tasks) or PLUGIN_DIR.");
        }

        await using var presence = broadcaster ?? BroadcasterFactory.Create(settings.Broadcast, settings.ServerDirectory, loggerFactory);
        using var announcer = new JobEventAnnouncer(presence, _hooks.JobEvents);
        var guard = settings.Store.IsPostgres ? null : new DatabaseFileGuard(settings.Store.DatabasePath);
        var databaseBackoff = new ExponentialBackoff(DatabaseProbeBase, DatabaseProbeMax);
        using var availability = new DatabaseAvailability(guard, databaseBackoff, _logger, _time);
        var database = new DatabaseWriter(store, guard, announcer, new JobEventFactory(settings.WorkerId, _time), _time);
        var wake = new WakeSignal();
        var active = new ConcurrentDictionary<string, ActiveJob>();
        var slots = new SlotPool(settings.Concurrency);
        var draining = false;
        // Called on every job start and end: the plugin list only changes with the registry, so it is built once per registry.
        IReadOnlyList<PluginSummary> PluginSummaries(TaskRegistry r) => r.Plugins.Select(p => new PluginSummary(p.Name, p.Version, p.Tasks)).ToList();
        var summaries = PluginSummaries(catalog.Current);
        WorkerSnapshot Snapshot() => new(settings.WorkerId, served.Current, settings.Concurrency, slots.Active, draining, Volatile.Read(ref summaries));
        using var heartbeat = new HeartbeatLoop(settings.Heartbeat, Snapshot, write => database.InvokeAsync((s, _) => { write(s.Connection); return true; }), _time, _logger);
        var jobsChanged = new WakeSignal();
        void StateChanged()
        {
            presence.UpdatePresence(Snapshot());
            heartbeat.Changed();
            jobsChanged.Set();
        }

        catalog.Changed += changed =>
        {
            Volatile.Write(ref summaries, PluginSummaries(changed));
            served.Update(changed);
            ReportServed(changed, served);
            StateChanged();
            wake.Set();
        };

        var classifier = new OutcomeClassifier(new ExponentialBackoff(settings.RetryBackoffBase, settings.RetryBackoffMax));
        var policy = new SandboxPolicy(settings.ComputeStorageDirectory, settings.AllowedRoots);
        var runner = new JobRunner(catalog, policy, classifier, database, store, loggerFactory.CreateLogger("MediaWorker.Jobs"), settings.WorkerId, _time, availability);
        using var claimLoop = new ClaimLoop(database, slots, served, catalog, active, runner, wake, settings.PollInterval, settings.LeaseDuration, settings.WorkerId, _time, StateChanged, availability, _logger);
        using var monitor = new ActiveJobMonitor(active, jobsChanged, database, store, settings.LeaseDuration, settings.WorkerId, _time, availability, _logger);
        using var maintenance = new MaintenanceLoop(settings, database, availability, _time, _logger);
        using var schedules = new ScheduleLoop(database, store, availability, settings.ScheduleMisfireGrace, _time, loggerFactory.CreateLogger("MediaWorker.Schedules"));
        using var watchdog = new SystemdWatchdog(database, _time, _logger);
        using IDisposable watcher = store is PostgresJobStore postgres
            ? new PostgresQueueListener(postgres, wake.Set, attempt => databaseBackoff.Delay(attempt), _logger)
            : new QueueChangeWatcher(settings.Store.DatabasePath, () =>
            {
                wake.Set();
                if (!active.IsEmpty)
                {
                    jobsChanged.Set(); // a commit may be a cancel request for a running job; an idle monitor need not wake
                }
            });
        using var pluginWatcher = plugins.CreateWatcher();

        // Presence first and last; everything else but claiming runs until the end; claiming
        // stops first, at the stop signal.
        IHostedService[] background = [pluginWatcher, announcer, monitor, maintenance, schedules, watchdog, heartbeat];
        try
        {
            presence.UpdatePresence(Snapshot());
            await presence.StartAsync(CancellationToken.None);
            foreach (var service in background)
            {
                await service.StartAsync(CancellationToken.None);
            }

            _hooks.Started?.Invoke(new RunningWorker(catalog, Snapshot, () => (presence as Messaging.Mqtt.MqttBroadcaster)?.Connection?.IsConnected));
            await claimLoop.StartAsync(CancellationToken.None);
            _logger.LogInformation(
                "Worker {WorkerId} started (pid {Pid}): {Concurrency} slot(s), serving {Tasks}; database {Database}.",
                settings.WorkerId, Environment.ProcessId, settings.Concurrency, string.Join(", ", served.Current), settings.Store.Location);
            watchdog.Ready($"serving {string.Join(", ", served.Current)}");
            _started.TrySetResult();

            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping, availability.Lost))
            {
                await WaitForStopAsync(claimLoop, stop.Token);
            }

            // First stop signal (or the database gone): stop claiming, announce draining, let running jobs finish.
            watchdog.Stopping();
            await claimLoop.StopAsync(CancellationToken.None);
            if (availability.IsLost)
            {
                // Nothing these jobs produce can be recorded: stop them now instead of after the grace period.
                foreach (var job in active.Values)
                {
                    job.Stop(StopReason.Shutdown);
                }
            }

            draining = true;
            StateChanged();
            _hooks.Stopping?.Invoke();
            _logger.LogInformation("Stopping: no new jobs; waiting up to {Grace} s for {Count} running job(s).", settings.ShutdownGrace.TotalSeconds, active.Count);
            await DrainAsync(claimLoop, active);
        }
        finally
        {
            _started.TrySetResult();
            // Reverse order: the loops that write stop (the heartbeat removing its row), then the
            // writer finishes its queue, then the announcer sends the events of those last commits,
            // then presence is cleared.
            foreach (var service in background.Reverse().Where(s => s != announcer))
            {
                await service.StopAsync(CancellationToken.None);
            }

            database.Dispose();
            await announcer.StopAsync(CancellationToken.None);
            using var presenceStop = new CancellationTokenSource(PresenceStopWait);
            await presence.StopAsync(presenceStop.Token);
        }

        _logger.LogInformation(
            "Worker {WorkerId} stopped; {Allocated} bytes allocated; claim wait {ClaimWait} (75-150 ms: {Below}, 150-300 ms: {RetryBand}, 0.5-1 s: {BelowSecond}, 1-2 s: {SecondBand}); {BusyErrors} database busy error(s) surfaced in this process.",
            settings.WorkerId,
            GC.GetTotalAllocatedBytes(precise: false),
            claimLoop.ClaimWait.Summary(),
            claimLoop.ClaimWait.CountBetween(TimeSpan.FromMilliseconds(75), TimeSpan.FromMilliseconds(150)),
            claimLoop.ClaimWait.CountBetween(TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(300)),
            claimLoop.ClaimWait.CountBetween(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)),
            claimLoop.ClaimWait.CountBetween(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)),
            DatabaseBusyCounter.Total);
        return availability.IsLost ? 1 : 0;
    }

    /// <summary>Until the stop signal; a claim loop that died of a bug ends the wait too, rather than leaving a worker that claims nothing.</summary>
    private static async Task WaitForStopAsync(ClaimLoop claimLoop, CancellationToken stopping)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = stopping.Register(() => stopped.TrySetResult());
        await Task.WhenAny(stopped.Task, claimLoop.ExecuteTask ?? Task.CompletedTask);
        if (claimLoop.ExecuteTask is { IsFaulted: true } failed)
        {
            await failed;
        }
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

    private async Task<bool> Finished(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout, _time);
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

    /// <summary>WEBHOOK_URL is kept as the endpoint <c>settings</c>, so every process that changes a job (the CLI too) enqueues for it.</summary>
    private void SyncSettingsWebhook(System.Data.Common.DbConnection connection, long nowMs)
    {
        if (settings.Webhooks.Subscription is { } subscription)
        {
            WebhookEndpointStore.Upsert(connection, WebhookEndpointStore.SettingsId, subscription, nowMs);
            _logger.LogInformation("Webhook endpoint {Id} from WEBHOOK_URL: {Url}.", WebhookEndpointStore.SettingsId, subscription.Url);
        }
        else if (WebhookEndpointStore.Remove(connection, WebhookEndpointStore.SettingsId))
        {
            _logger.LogInformation("WEBHOOK_URL is no longer set: the webhook endpoint {Id} was removed.", WebhookEndpointStore.SettingsId);
        }
    }
}
