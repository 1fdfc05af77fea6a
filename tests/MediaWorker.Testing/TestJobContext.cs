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

    public TestJobContext(string root, string taskType, JsonObject parameters, int attempt = 1, string? jobId = null, JsonObject? checkpoint = null)
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
        Checkpoints = new InMemoryCheckpoints(checkpoint);
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
    IJobCheckpoints IJobContext.Checkpoints => Checkpoints;

    /// <summary>Checkpoints kept in memory: the last state and every commit, in order.</summary>
    public InMemoryCheckpoints Checkpoints { get; }
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

    /// <summary>
    /// Keeps checkpoints in memory. No follow-up ever runs here, so <see cref="UnfinishedAsync"/>
    /// reports none unfinished unless a test lists some in <see cref="Unfinished"/>.
    /// </summary>
    public sealed class InMemoryCheckpoints(JsonObject? initial) : IJobCheckpoints
    {
        private readonly Lock _gate = new();
        private readonly List<JobCheckpoint> _commits = [];
        private JsonObject? _state = initial?.DeepClone().AsObject();

        /// <summary>Job ids <see cref="UnfinishedAsync"/> reports as still running.</summary>
        public HashSet<string> Unfinished { get; } = new(StringComparer.Ordinal);

        /// <summary>The last committed state (a copy).</summary>
        public JsonObject? State
        {
            get
            {
                lock (_gate)
                {
                    return _state?.DeepClone().AsObject();
                }
            }
        }

        /// <summary>Every checkpoint committed, in order.</summary>
        public IReadOnlyList<JobCheckpoint> Commits
        {
            get
            {
                lock (_gate)
                {
                    return [.. _commits];
                }
            }
        }

        public Task<JsonObject?> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(State);

        public Task<IReadOnlyList<string>> CommitAsync(JobCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(checkpoint);
            lock (_gate)
            {
                _state = checkpoint.State.DeepClone().AsObject();
                _commits.Add(checkpoint with { State = _state.DeepClone().AsObject() });
            }

            return Task.FromResult<IReadOnlyList<string>>([.. checkpoint.FollowUps.Select(f => f.JobId)]);
        }

        public Task<IReadOnlySet<string>> UnfinishedAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                return Task.FromResult<IReadOnlySet<string>>(jobIds.Where(Unfinished.Contains).ToHashSet(StringComparer.Ordinal));
            }
        }
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
