using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;

namespace ChainPlugin;

/// <summary>Serves <c>bench_chain</c>.</summary>
public sealed class ChainPlugin : IMediaWorkerPlugin
{
    public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context)
    {
        yield return new ChainHandler();
    }
}

/// <summary>
/// <c>bench_chain {"remaining": N}</c>: does nothing, like noop, and while N is above 0 enqueues
/// <c>bench_chain {"remaining": N-1}</c> as a follow-up, which the worker inserts in the transaction
/// that completes this job: N+1 jobs in a row, chained the way a handler chains work by hand.
/// </summary>
internal sealed class ChainHandler : ITaskHandler
{
    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "bench_chain",
        Description = "Does nothing and enqueues itself with remaining - 1 until remaining is 0 (pipeline benchmark).",
        DefaultTimeout = TimeSpan.FromMinutes(1),
        ParameterSchema = (JsonObject)JsonNode.Parse("""
            {"type": "object", "properties": {"remaining": {"type": "integer", "minimum": 0, "maximum": 1000}},
             "required": ["remaining"], "additionalProperties": false}
            """)!,
    };

    public Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var remaining = job.Parameters["remaining"]!.GetValue<int>();
        if (remaining > 0)
        {
            job.FollowUps.Enqueue(new FollowUpJob("bench_chain", new JsonObject { ["remaining"] = remaining - 1 }));
        }

        return Task.FromResult(new JsonObject());
    }
}
