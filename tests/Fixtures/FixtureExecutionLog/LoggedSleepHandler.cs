using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;

namespace FixtureExecutionLog;

/// <summary>
/// Appends <c>job_id,attempt,worker_id,pid</c> to the file named by <c>log</c> when an attempt
/// starts, then sleeps <c>seconds</c>. One short write to an O_APPEND file is atomic, so lines
/// from several processes never interleave.
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
        var line = string.Create(CultureInfo.InvariantCulture, $"{job.JobId},{job.Attempt},{workerId},{Environment.ProcessId}\n");
        await using (var log = new FileStream(job.Parameters["log"]!.GetValue<string>(), FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            await log.WriteAsync(System.Text.Encoding.ASCII.GetBytes(line), cancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(job.Parameters["seconds"]!.GetValue<double>()), time, cancellationToken);
        return new JsonObject { ["pid"] = Environment.ProcessId };
    }
}
