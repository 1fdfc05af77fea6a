using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MediaWorker.Files;
using MediaWorker.Plugins.Abstractions;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Testing;

/// <summary>
/// A job context for running a handler in-process in a test, with the daemon's real file sandbox:
/// relative paths resolve under <c>Root/compute</c>, absolute paths must lie under <c>Root</c>.
/// </summary>
public sealed class TestJobContext : IJobContext
{
    private readonly ConcurrentQueue<int> _progress = new();
    private readonly List<FollowUpJob> _followUps = [];

    public TestJobContext(string root, string taskType, JsonObject parameters, int attempt = 1, string? jobId = null)
    {
        Root = root;
        JobId = jobId ?? Guid.NewGuid().ToString();
        TaskType = taskType;
        Parameters = parameters;
        Attempt = attempt;
        var policy = new SandboxPolicy(System.IO.Path.Combine(root, "compute"), [root]);
        Directory.CreateDirectory(policy.ComputeStorageDirectory);
        Sandbox = new JobFileSandbox(policy, JobId, attempt);
        Progress = new SynchronousProgress(_progress.Enqueue);
        FollowUps = new RecordingFollowUps(_followUps);
        Logger = new TestContextLogger(taskType);
    }

    public string Root { get; }
    public string JobId { get; }
    public string TaskType { get; }
    public int Attempt { get; }
    public int MaxAttempts { get; init; } = 4;
    public JsonObject Parameters { get; }
    public JobFileSandbox Sandbox { get; }
    public IJobFiles Files => Sandbox;
    public IProgress<int> Progress { get; }
    public IFollowUpJobs FollowUps { get; }
    public ILogger Logger { get; }

    /// <summary>Every progress value reported, in order.</summary>
    public IReadOnlyList<int> ReportedProgress => _progress.ToArray();

    /// <summary>Every follow-up enqueued, in order.</summary>
    public IReadOnlyList<FollowUpJob> EnqueuedFollowUps => _followUps;

    /// <summary>Runs the handler like the daemon would (minus the schema check and the queue).</summary>
    public static async Task<JsonObject> RunAsync(ITaskHandler handler, TestJobContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await handler.ExecuteAsync(context, cancellationToken);
        }
        finally
        {
            context.Sandbox.DeleteScratch();
        }
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    private sealed class RecordingFollowUps(List<FollowUpJob> sink) : IFollowUpJobs
    {
        public string Enqueue(FollowUpJob job)
        {
            lock (sink)
            {
                sink.Add(job);
            }

            return Guid.NewGuid().ToString();
        }
    }
}
