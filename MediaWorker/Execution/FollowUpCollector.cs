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
        var newJob = ToNewJob(job, parentJobId, createdBy);
        lock (_jobs)
        {
            _jobs.Add(newJob);
        }

        return newJob.JobId;
    }

    /// <summary>The row a follow-up becomes: here at completion, or at once in a checkpoint (<see cref="JobCheckpoints"/>).</summary>
    public static NewJob ToNewJob(FollowUpJob job, string parentJobId, string createdBy)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (string.IsNullOrWhiteSpace(job.TaskType))
        {
            throw new ArgumentException("A follow-up job needs a task type.", nameof(job));
        }

        return new NewJob(job.TaskType, job.Parameters.ToJsonString(JsonSerializerOptions.Default))
        {
            JobId = job.JobId,
            Priority = job.Priority,
            MaxRetries = job.MaxRetries ?? 3,
            RunAfter = job.RunAfter?.ToUnixTimeMilliseconds() ?? 0,
            CreatedBy = createdBy,
            ParentJobId = parentJobId,
        };
    }
}
