using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Abstractions;

/// <summary>Everything a handler gets about the job it runs.</summary>
public interface IJobContext
{
    /// <summary>The job's uuid (<c>job_id</c> column).</summary>
    string JobId { get; }

    /// <summary>The task type the job was submitted for.</summary>
    string TaskType { get; }

    /// <summary>This attempt's number, starting at 1.</summary>
    int Attempt { get; }

    /// <summary>The most attempts this job gets (<c>max_retries</c> + 1).</summary>
    int MaxAttempts { get; }

    /// <summary>The job's parameters, already validated against <see cref="TaskDescriptor.ParameterSchema"/>.</summary>
    JsonObject Parameters { get; }

    /// <summary>Resolves input paths inside the allowed roots and allocates the output folder.</summary>
    IJobFiles Files { get; }

    /// <summary>
    /// Reports progress from 0 to 100. Cheap to call often: the host throttles what reaches the
    /// database and subscribers.
    /// </summary>
    IProgress<int> Progress { get; }

    /// <summary>Enqueues follow-up jobs that are committed together with this job's completion.</summary>
    IFollowUpJobs FollowUps { get; }

    /// <summary>
    /// Durable checkpoints for long-running jobs: state, follow-ups and progress committed together
    /// while the job runs, and the last state handed to the next attempt (see <see cref="IJobCheckpoints"/>).
    /// </summary>
    IJobCheckpoints Checkpoints { get; }

    /// <summary>A logger whose lines carry the job's <c>job_id</c> and <c>task_type</c>.</summary>
    ILogger Logger { get; }
}
