namespace MediaWorker.Plugins.Abstractions;

/// <summary>
/// Collects follow-up jobs. They are inserted in the same transaction that marks the current job
/// completed, so a worker that dies in between leaves neither a completed job without its
/// follow-ups nor follow-ups twice. Nothing is inserted when the job fails or is cancelled.
/// </summary>
public interface IFollowUpJobs
{
    /// <summary>Schedules a follow-up job.</summary>
    /// <param name="job">What to run.</param>
    /// <returns>The job id the follow-up will have once the current job completes.</returns>
    string Enqueue(FollowUpJob job);
}
