using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;

namespace FixtureWrongContract;

/// <summary>A working plugin in every respect but its manifest's contract major.</summary>
public sealed class FutureContractPlugin : IMediaWorkerPlugin
{
    public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context) => [new FutureHandler()];

    private sealed class FutureHandler : ITaskHandler
    {
        public TaskDescriptor Descriptor { get; } = new() { TaskType = "future_task", Description = "Must never load (test fixture)." };

        public Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken) => Task.FromResult(new JsonObject());
    }
}
