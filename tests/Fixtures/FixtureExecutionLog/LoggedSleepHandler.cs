using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;

namespace FixtureExecutionLog;

/// <summary>
/// Records each attempt when it starts as one new empty file <c>job_id,attempt,worker_id,pid,nonce</c>
/// in the folder named by <c>log</c>, then sleeps <c>seconds</c> and returns its pid and <c>echo</c>. Creating a file is atomic across
/// processes (unlike appends through .NET, which seek to the end and then write).
/// </summary>
internal sealed class LoggedSleepHandler(string workerId, TimeProvider time) : ITaskHandler
{
    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "logged_sleep",
        Description = "Records the execution, then sleeps (test fixture).",
        DefaultTimeout = TimeSpan.FromMinutes(1),
        ParameterSchema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["seconds"] = new JsonObject { ["type"] = "number", ["minimum"] = 0 },
                ["log"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 },
            },
            ["required"] = new JsonArray("seconds", "log"),
        },
    };

    public async Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var name = string.Create(CultureInfo.InvariantCulture, $"{job.JobId},{job.Attempt},{workerId},{Environment.ProcessId},{Guid.NewGuid():N}");
        await using (new FileStream(Path.Combine(job.Parameters["log"]!.GetValue<string>(), name), FileMode.CreateNew, FileAccess.Write))
        {
        }

        await Task.Delay(TimeSpan.FromSeconds(job.Parameters["seconds"]!.GetValue<double>()), time, cancellationToken);
        // echo: handed back in the output, so a pipeline test can fan out over a list an output holds.
        return new JsonObject { ["pid"] = Environment.ProcessId, ["echo"] = job.Parameters["echo"]?.DeepClone() };
    }
}
