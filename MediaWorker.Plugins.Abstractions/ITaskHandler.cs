using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Abstractions;

/// <summary>Runs the jobs of one task type.</summary>
/// <remarks>
/// <para>One handler instance serves every job of its task type, possibly several at once (up to the
/// worker's concurrency or <see cref="TaskDescriptor.MaxConcurrency"/>), so it must be thread-safe.</para>
/// <para>Outcomes: return normally for success. Throw <see cref="PermanentJobException"/> for a bad
/// request (invalid parameters, unreadable or unsupported input): the job fails at once with the
/// message. Throw <see cref="RetryableJobException"/> for a passing fault (a service briefly down):
/// the job is retried with backoff. Any other exception counts as retryable. When
/// the cancellation token fires (the job was cancelled, timed out, or the worker is
/// shutting down) stop promptly and let the <see cref="OperationCanceledException"/> propagate.</para>
/// </remarks>
public interface ITaskHandler
{
    /// <summary>What this handler serves; read once at load.</summary>
    TaskDescriptor Descriptor { get; }

    /// <summary>Executes one job.</summary>
    /// <param name="job">The job: identity, parameters, files, progress, follow-ups and a logger.</param>
    /// <param name="cancellationToken">Fires when the job must stop.</param>
    /// <returns>The job's output, stored as JSON in the <c>output</c> column. Name every file written.</returns>
    /// <exception cref="PermanentJobException">The request cannot succeed, however often it is retried.</exception>
    /// <exception cref="RetryableJobException">A passing fault; another attempt may succeed.</exception>
    Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken);
}
