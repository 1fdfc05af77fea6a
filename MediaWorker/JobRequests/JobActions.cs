using System.Data.Common;
using MediaWorker.Files;
using MediaWorker.Storage;

namespace MediaWorker.JobRequests;

/// <summary>
/// What a person does to jobs, shared by the CLI and the HTTP API: submit, look, cancel, retry,
/// purge. Refusals are <see cref="JobRequestException"/>s with the CLI's one-line messages.
/// </summary>
public sealed class JobActions(DbConnection connection, string databasePath, Func<long> clock)
{
    /// <summary>Inserts the job; returns its row and whether it is new (false: the idempotency key matched an earlier job).</summary>
    public (JobRecord Job, bool Created) Submit(SubmitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock());
        var job = request.ToNewJob(now);
        var (jobId, created) = JobSubmitter.Submit(connection, job, now.ToUnixTimeMilliseconds());
        return (Find(jobId), created);
    }

    /// <summary>The job's row, or a <see cref="JobRequestFailure.NotFound"/> refusal.</summary>
    public JobRecord Find(string jobId) =>
        JobAdministration.Find(connection, jobId) ?? throw NotFound(jobId);

    /// <summary>Cancels a queued job at once or asks a running one to stop; refuses a finished one.</summary>
    public CancelResult Cancel(string jobId)
    {
        var result = JobAdministration.Cancel(connection, jobId, clock());
        return result switch
        {
            CancelResult.Cancelled or CancelResult.Requested => result,
            CancelResult.AlreadyFinished => throw new JobRequestException(
                JobRequestFailure.Conflict, $"Job '{jobId}' has already finished ({JobAdministration.Find(connection, jobId)?.Status}); nothing to cancel."),
            _ => throw NotFound(jobId),
        };
    }

    /// <summary>Queues a failed or cancelled job again with fresh attempts; refuses any other.</summary>
    public void Retry(string jobId)
    {
        if (JobAdministration.Retry(connection, jobId, clock()))
        {
            return;
        }

        var job = Find(jobId);
        throw new JobRequestException(JobRequestFailure.Conflict, $"Job '{jobId}' is {job.Status}; only failed or cancelled jobs can be retried.");
    }

    /// <summary>Deletes finished jobs older than <paramref name="olderThan"/> (and their folders unless <paramref name="keepFiles"/>).</summary>
    public (IReadOnlyList<string> Jobs, int Folders) Purge(TimeSpan olderThan, string? status, string computeStorageDirectory, bool keepFiles)
    {
        var purged = JobAdministration.Purge(connection, clock() - (long)olderThan.TotalMilliseconds, status);
        var folders = keepFiles ? 0 : JobFolders.Delete(computeStorageDirectory, purged);
        return (purged, folders);
    }

    private JobRequestException NotFound(string jobId) => new(JobRequestFailure.NotFound, $"No job '{jobId}' in {databasePath}.");
}
