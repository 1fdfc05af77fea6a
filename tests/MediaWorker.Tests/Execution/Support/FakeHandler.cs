using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Tests.Execution.Support;

/// <summary>A task handler whose body the test writes; it records each job it was given, in order.</summary>
internal sealed class FakeHandler(string taskType, Func<IJobContext, CancellationToken, Task<JsonObject>> body) : ITaskHandler
{
    private readonly List<string> _started = [];

    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = taskType,
        Description = "Test handler.",
        // A day: fake time that runs ahead never times a test job out.
        DefaultTimeout = TimeSpan.FromDays(1),
        ParameterSchema = new JsonObject { ["type"] = "object" },
    };

    /// <summary>Job ids in the order their attempts started.</summary>
    public IReadOnlyList<string> Started
    {
        get
        {
            lock (_started)
            {
                return [.. _started];
            }
        }
    }

    public Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        lock (_started)
        {
            _started.Add(job.JobId);
        }

        return body(job, cancellationToken);
    }
}
