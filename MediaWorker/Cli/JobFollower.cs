using System.Data.Common;
using MediaWorker.Concurrency;
using MediaWorker.Execution;
using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary>
/// Follows one job until it finishes (<c>submit --wait</c>, <c>job --follow</c>): reads its row on every
/// commit to the database (the WAL watch), at least twice a second, and reports each read.
/// </summary>
public static class JobFollower
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(500);

    /// <summary>The finished row; null when <paramref name="limit"/> passed first (or the job was deleted: then the last row read).</summary>
    public static async Task<JobRecord?> FollowAsync(
        DbConnection connection, string databasePath, string jobId, TimeSpan limit, Action<JobRecord>? onRead, CancellationToken cancellationToken)
    {
        var wake = new WakeSignal();
        // PostgreSQL has no file to watch: the row is read twice a second.
        using var watcher = File.Exists(databasePath) ? new QueueChangeWatcher(databasePath, wake.Set) : null;
        using var deadline = new CancellationTokenSource(limit);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        while (true)
        {
            var job = JobAdministration.Find(connection, jobId);
            if (job is null || JobStatus.IsFinished(job.Status))
            {
                if (job is not null)
                {
                    onRead?.Invoke(job);
                }

                return job;
            }

            onRead?.Invoke(job);
            if (linked.IsCancellationRequested)
            {
                return null;
            }

            await wake.WaitAsync(Bound, linked.Token);
        }
    }
}
