using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using Microsoft.Extensions.Logging;

namespace FixtureDropIn;

/// <summary>Echoes its <c>message</c> parameter and says where it was loaded from.</summary>
internal sealed class EchoHandler(string pluginDirectory) : ITaskHandler
{
    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "dropin_echo",
        Description = "Echoes the message it is given (test fixture).",
        Version = "1.2.3",
        DefaultTimeout = TimeSpan.FromSeconds(20),
        MaxConcurrency = 2,
        ParameterSchema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["message"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["description"] = "What to echo." },
            },
            ["required"] = new JsonArray("message"),
            ["additionalProperties"] = false,
        },
    };

    public Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var message = job.Parameters["message"]!.GetValue<string>();
        job.Logger.LogInformation("Echoing {Length} characters", message.Length);
        return Task.FromResult(new JsonObject
        {
            ["echo"] = message,
            ["plugin_directory"] = pluginDirectory,
        });
    }
}
