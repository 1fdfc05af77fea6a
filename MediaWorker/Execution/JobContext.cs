using System.Text.Json.Nodes;
using MediaWorker.Files;
using MediaWorker.Plugins.Abstractions;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Execution;

/// <summary>The daemon's <see cref="IJobContext"/>: one per attempt.</summary>
public sealed class JobContext(ActiveJob active, JsonObject parameters, JobFileSandbox files, FollowUpCollector followUps, JobCheckpoints checkpoints, ILogger logger) : IJobContext
{
    public string JobId => active.Job.JobId;
    public string TaskType => active.Job.TaskType;
    public int Attempt => active.Job.Attempt;
    public int MaxAttempts => active.Job.MaxAttempts;
    public JsonObject Parameters { get; } = parameters;
    public IJobFiles Files { get; } = files;
    public IProgress<int> Progress { get; } = new ProgressSink(active);
    public IFollowUpJobs FollowUps { get; } = followUps;
    public IJobCheckpoints Checkpoints { get; } = checkpoints;
    public ILogger Logger { get; } = logger;

    /// <summary>Keeps only the latest value; the monitor writes and announces it, throttled.</summary>
    private sealed class ProgressSink(ActiveJob active) : IProgress<int>
    {
        public void Report(int value) => active.ReportProgress(value);
    }
}
