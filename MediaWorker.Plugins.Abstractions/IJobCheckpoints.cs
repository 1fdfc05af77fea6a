using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Abstractions;

/// <summary>
/// Durable progress for long-running jobs (a live-stream ingest, a multi-hour batch): the handler
/// commits what it has finished so far, together with the follow-up jobs for that part, and the
/// next attempt of the same job (after a crash, a lost lease or a retry) starts from the last
/// committed state instead of from the beginning.
/// </summary>
/// <remarks>
/// <para>Each <see cref="CommitAsync"/> is one transaction, fenced by the attempt's lease: the
/// state replaces the previous one, the follow-ups are inserted as queued jobs at once (not at
/// completion, unlike <see cref="IFollowUpJobs"/>), the pipeline runs are started (their first
/// steps' jobs queued), the file releases are stored, and the progress is written. Either all of it is stored or none of it. A worker that dies between two commits leaves the previous state, so work
/// after the last commit is redone; design the state so that redoing it creates nothing twice (for
/// example, keep the next sequence number in it).</para>
/// <para>The state is kept until the job is deleted (retention or <c>mediaworker delete</c>) and
/// is rewritten whole on every commit: keep it to what a resume needs (kilobytes, not megabytes).</para>
/// </remarks>
public interface IJobCheckpoints
{
    /// <summary>The state last committed by any attempt of this job, or <see langword="null"/> when none was.</summary>
    /// <param name="cancellationToken">Stops the read.</param>
    Task<JsonObject?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Stores a checkpoint: state, follow-ups and progress in one transaction.</summary>
    /// <param name="checkpoint">What to store.</param>
    /// <param name="cancellationToken">
    /// Stops waiting for the write; the write itself may still land. To record a final checkpoint
    /// while the job is being cancelled, pass <see cref="CancellationToken.None"/>.
    /// </param>
    /// <returns>The job ids of the follow-ups, in the order given; they are queued once this returns.</returns>
    /// <exception cref="JobLeaseLostException">
    /// This attempt no longer owns the job (another worker reclaimed it, or it was settled); nothing
    /// was written. Stop: the attempt's result will be discarded.
    /// </exception>
    /// <exception cref="PermanentJobException">
    /// A pipeline in <see cref="JobCheckpoint.PipelineRuns"/> is not stored; nothing was written.
    /// </exception>
    /// <exception cref="ArgumentException">A file in <see cref="JobCheckpoint.FileReleases"/> is outside the job's output folder; nothing was written.</exception>
    Task<IReadOnlyList<string>> CommitAsync(JobCheckpoint checkpoint, CancellationToken cancellationToken);

    /// <summary>
    /// Which of <paramref name="jobIds"/> have not finished yet (queued, waiting for a retry or
    /// running), for a handler that must keep a file until the jobs reading it are done. Ids of jobs
    /// that finished in any way (completed, failed, cancelled) or no longer exist are left out.
    /// A pipeline run's id (<see cref="PipelineRunStart.RunId"/>) counts as unfinished while the run
    /// is queued or running: any of its steps may read the run's input files, also through another
    /// step's output, so only the run's end says they are no longer read.
    /// </summary>
    /// <param name="jobIds">Job ids, e.g. from <see cref="CommitAsync"/>, or pipeline run ids.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    Task<IReadOnlySet<string>> UnfinishedAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken);
}

/// <summary>One checkpoint for <see cref="IJobCheckpoints.CommitAsync"/>.</summary>
/// <param name="State">The state the next attempt gets from <see cref="IJobCheckpoints.LoadAsync"/>.</param>
public sealed record JobCheckpoint(JsonObject State)
{
    /// <summary>Jobs to queue in the same transaction; their parent is the current job.</summary>
    public IReadOnlyList<FollowUpJob> FollowUps { get; init; } = [];

    /// <summary>Pipeline runs to start in the same transaction, one per key (see <see cref="PipelineRunStart.Key"/>).</summary>
    public IReadOnlyList<PipelineRunStart> PipelineRuns { get; init; } = [];

    /// <summary>Files to hand over to the host, which deletes them once their readers have finished (see <see cref="FileRelease"/>).</summary>
    public IReadOnlyList<FileRelease> FileReleases { get; init; } = [];

    /// <summary>The job's progress (0 to 100) to store with it, or <see langword="null"/> to leave it.</summary>
    public int? Progress { get; init; }
}
