using System.Globalization;
using System.Text.Json;
using MediaWorker.Configuration;
using MediaWorker.Messaging.Mqtt.Watching;
using MediaWorker.Plugins;
using MediaWorker.Storage;
using System.Data.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaWorker.Cli;

/// <summary>
/// Before <c>submit</c> queues a job: does anything serve its task type? A typo (<c>imgae_resize</c>)
/// otherwise waits in the queue forever without a word. Asked in order of cost: the live workers'
/// heartbeat rows in the database (the usual case, a daemon is running: one query, no plugin load);
/// then the plugins in PLUGIN_DIR, loaded as <c>run</c> loads them; then the workers' retained MQTT
/// announcements (BROADCAST_TYPE=mqtt), which also know workers on other boxes. Only PLUGIN_DIR and
/// the broker settings are read: a bad worker setting must not stop a producer from submitting, and
/// bad broker settings only mean that no worker is known.
/// </summary>
internal static class TaskTypeCheck
{
    private static readonly TimeSpan BrokerWait = TimeSpan.FromSeconds(2);

    /// <summary>What the check found; <see cref="Served"/> false means nothing known serves the type.</summary>
    /// <param name="Served">A loaded plugin or a known worker offers the type.</param>
    /// <param name="Warning">What to tell the user, or null when a loaded plugin offers it.</param>
    internal sealed record Result(bool Served, string? Warning);

    public static async Task<Result> CheckAsync(SettingsSource source, DbConnection connection, string taskType, CancellationToken cancellationToken)
    {
        var live = WorkerHeartbeats.Live(connection, CommandContext.Now());
        if (live.Any(w => Serves(w, taskType)))
        {
            return new Result(true, null);
        }

        var pluginDirectory = WorkerSettings.ReadPluginDirectory(new SettingsReader(source));
        IReadOnlyCollection<string> loaded;
        // The worker's default concurrency: plugins only see it in their context, which loading does not use.
        using (var host = new PluginHost(pluginDirectory, source, NullLoggerFactory.Instance, Environment.ProcessorCount, new TaskCatalog()))
        {
            var registry = host.LoadAll();
            if (registry.Tasks.ContainsKey(taskType))
            {
                return new Result(true, null);
            }

            loaded = [.. registry.Tasks.Keys.Order(StringComparer.Ordinal)];
        }

        var (workers, workersNote) = await WorkersServingAsync(source, taskType, cancellationToken);
        var served = workers.Count > 0 ? $"workers serving it: {string.Join(", ", workers)}" : $"workers serving it: none known ({workersNote})";
        var warning = string.Create(
            CultureInfo.InvariantCulture,
            $"no loaded plugin offers task type '{taskType}' (PLUGIN_DIR {pluginDirectory} offers: {(loaded.Count == 0 ? "none" : string.Join(", ", loaded))}); {served}. " +
            $"List task types with 'mediaworker plugins' (this machine) or 'mediaworker workers --once' (running workers).");
        return new Result(workers.Count > 0, warning);
    }

    private static bool Serves(WorkerHeartbeatRow worker, string taskType)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>(worker.Capabilities)?.Contains(taskType, StringComparer.Ordinal) == true;
        }
        catch (JsonException)
        {
            return false; // a row this version cannot read says nothing either way
        }
    }

    private static async Task<(IReadOnlyList<string> Workers, string Note)> WorkersServingAsync(SettingsSource source, string taskType, CancellationToken cancellationToken)
    {
        var reader = new SettingsReader(source);
        var broadcast = BroadcastSettings.Read(reader, "submit");
        if (reader.Errors.Count > 0)
        {
            return ([], $"the broker settings are invalid, so no worker could be asked: {string.Join(" ", reader.Errors)}");
        }

        if (!string.Equals(broadcast.Type, "mqtt", StringComparison.OrdinalIgnoreCase))
        {
            return ([], $"BROADCAST_TYPE is {broadcast.Type}, so workers do not announce what they serve");
        }

        using var watcher = new CapabilityWatcher(broadcast, NullLogger.Instance);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(BrokerWait);
        watcher.Start();
        try
        {
            if (!await watcher.WaitForRetainedAsync(wait.Token))
            {
                return ([], $"no answer from the MQTT broker at {watcher.Endpoint}: {watcher.LastFailure ?? "timed out"}");
            }

            var serving = watcher.Directory.Rows(DateTimeOffset.UtcNow)
                .Where(r => !r.Stale && r.Worker.Capabilities.Contains(taskType, StringComparer.Ordinal))
                .Select(r => r.Worker.WorkerId)
                .Order(StringComparer.Ordinal)
                .ToList();
            return (serving, $"no worker announced on {watcher.Filter} serves it");
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await watcher.StopAsync(stop.Token);
        }
    }
}
