using System.Text.Json;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Storage;

namespace MediaWorker.Execution;

/// <summary>
/// Collects a handler's follow-up jobs; they are inserted by <see cref="LeasedJobWriter"/> in the
/// same transaction that completes the parent, and only then.
/// </summary>
public sealed class FollowUpCollector(string parentJobId, string createdBy) : IFollowUpJobs
{
    private readonly List<NewJob> _jobs = [];

    public IReadOnlyList<NewJob> Jobs
    {
        get
        {
            lock (_jobs)
            {
                return [.. _jobs];
            }
        }
    }

    public string Enqueue(FollowUpJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (string.IsNullOrWhiteSpace(job.TaskType))
        {
            throw new ArgumentException("A follow-up job needs a task type.", nameof(job));
        }

        var newJob = new NewJob(job.TaskType, job.Parameters.ToJsonString(JsonSerializerOptions.Default))
        {
            Priority = job.Priority,
            MaxRetries = job.MaxRetries ?? 3,
            RunAfter = job.RunAfter?.ToUnixTimeMilliseconds() ?? 0,
            CreatedBy = createdBy,
            ParentJobId = parentJobId,
        };
        lock (_jobs)
        {
            _jobs.Add(newJob);
        }

        return newJob.JobId;
    }
}
