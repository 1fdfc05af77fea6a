using MediaWorker.Concurrency;
using MediaWorker.Execution;
using MediaWorker.Storage;
using Microsoft.Data.Sqlite;

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
        SqliteConnection connection, string databasePath, string jobId, TimeSpan limit, Action<JobRecord>? onRead, CancellationToken cancellationToken)
    {
        var wake = new WakeSignal();
        using var watcher = new QueueChangeWatcher(databasePath, wake);
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
