using System.Text.Json.Nodes;
using FixtureNative.Native;
using MediaWorker.Plugins.Abstractions;

namespace FixtureNative;

/// <summary>Adds two integers in C.</summary>
internal sealed class NativeAddHandler : ITaskHandler
{
    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "native_add",
        Description = "Adds a and b in the plugin's own C library (test fixture).",
        ParameterSchema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["a"] = new JsonObject { ["type"] = "integer" },
                ["b"] = new JsonObject { ["type"] = "integer" },
            },
            ["required"] = new JsonArray("a", "b"),
            ["additionalProperties"] = false,
        },
    };

    public Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var a = job.Parameters["a"]!.GetValue<int>();
        var b = job.Parameters["b"]!.GetValue<int>();
        return Task.FromResult(new JsonObject
        {
            ["sum"] = FixtureNativeMethods.Add(a, b),
            ["library"] = FixtureNativeMethods.Name(),
        });
    }
}
