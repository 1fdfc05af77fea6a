using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins;

/// <summary>Interim host with the built-in tasks only; replaced by the AssemblyLoadContext host from the pluginhost branch.</summary>
public sealed class PluginHost(string pluginDirectory, IPluginSettings settings, ILoggerFactory loggerFactory, int workerConcurrency, TaskCatalog catalog) : IDisposable
{
    public TaskRegistry LoadAll()
    {
        _ = (pluginDirectory, settings, loggerFactory, workerConcurrency);
        var tasks = new Dictionary<string, RegisteredTask>(StringComparer.Ordinal)
        {
            ["noop"] = new(new InterimNoop(), "builtin", "1.0.0"),
            ["sleep"] = new(new InterimSleep(), "builtin", "1.0.0"),
        };
        var registry = new TaskRegistry(tasks, [new LoadedPlugin("builtin", "1.0.0", "", ["noop", "sleep"])], []);
        catalog.Publish(registry);
        return registry;
    }

    public void StartWatching() => _ = catalog.Current;

    public void Dispose()
    {
    }

    private sealed class InterimNoop : ITaskHandler
    {
        public TaskDescriptor Descriptor { get; } = new() { TaskType = "noop", Description = "Does nothing." };

        public Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken) => Task.FromResult(new JsonObject());
    }

    private sealed class InterimSleep : ITaskHandler
    {
        public TaskDescriptor Descriptor { get; } = new() { TaskType = "sleep", Description = "Sleeps." };

        public async Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
        {
            var seconds = job.Parameters["seconds"]?.GetValue<double>() ?? 0;
            await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
            return new JsonObject { ["slept_seconds"] = seconds };
        }
    }
}
