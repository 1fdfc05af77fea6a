using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageBench;

/// <summary>A job context whose files live under one folder: all the handler needs, nothing timed besides it.</summary>
internal sealed class BenchJobContext(string root, JsonObject parameters) : IJobContext, IJobFiles, IFollowUpJobs, IJobCheckpoints
{
    private readonly string _jobId = Guid.NewGuid().ToString("N");

    public string JobId => _jobId;
    public string TaskType => "image_resize";
    public int Attempt => 1;
    public int MaxAttempts => 1;
    public JsonObject Parameters { get; } = parameters;
    public IJobFiles Files => this;
    public IProgress<int> Progress { get; } = new Progress<int>();
    public IFollowUpJobs FollowUps => this;
    public IJobCheckpoints Checkpoints => this;
    public ILogger Logger => NullLogger.Instance;

    public string OutputDirectory => Directory.CreateDirectory(Path.Combine(root, "jobs", _jobId, "output")).FullName;

    public string ScratchDirectory => Directory.CreateDirectory(Path.Combine(root, "jobs", _jobId, "scratch")).FullName;

    public string ResolveInput(string path, string parameterName = "input_path") => Path.GetFullPath(path);

    public string ResolveOutput(string path, string parameterName = "output_path") => Path.GetFullPath(path, root);

    public string Enqueue(FollowUpJob job) => throw new NotSupportedException();

    public Task<JsonObject?> LoadAsync(CancellationToken cancellationToken) => Task.FromResult<JsonObject?>(null);

    public Task<IReadOnlyList<string>> CommitAsync(JobCheckpoint checkpoint, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlySet<string>> UnfinishedAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken) => throw new NotSupportedException();

    public void DeleteJobFolder() => Directory.Delete(Path.Combine(root, "jobs", _jobId), recursive: true);
}
