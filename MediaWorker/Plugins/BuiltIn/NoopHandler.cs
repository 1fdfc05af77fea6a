using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.BuiltIn;

/// <summary><c>noop</c>: takes no parameters, does nothing and returns <c>{}</c>; measures the queue itself.</summary>
internal sealed class NoopHandler : ITaskHandler
{
    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "noop",
        Description = "Does nothing and returns {}; for trying out and benchmarking a worker.",
        DefaultTimeout = TimeSpan.FromMinutes(1),
        ParameterSchema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject(),
            ["additionalProperties"] = false,
        },
    };

    public Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken) => Task.FromResult(new JsonObject());
}
