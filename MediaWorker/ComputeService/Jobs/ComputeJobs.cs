using Dapper;
using MediaWorker.Files;
using MediaWorker.Storage;

namespace MediaWorker.ComputeService.Jobs;

/// <summary>What the compute API does to the jobs table and job folders; inserts go through <see cref="JobSubmitter"/>.</summary>
public sealed class ComputeJobs(IJobStore connections, string computeStorageDirectory, TimeProvider time)
{
    private static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CancelPoll = TimeSpan.FromMilliseconds(100);

    public long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public string JobsDirectory => Path.Combine(computeStorageDirectory, "jobs");

    public void Submit(NewJob job)
    {
        using var connection = connections.Open();
        JobSubmitter.Submit(connection, job, Now);
    }

    public JobRecord? Find(string jobId)
    {
        using var connection = connections.Open();
        return JobAdministration.Find(connection, jobId);
    }

    /// <summary>
    /// Deletes a job's row and folder; a running job is asked to cancel first and given
    /// <see cref="CancelWait"/> to stop (its worker's fenced writes fail harmlessly if it has not).
    /// </summary>
    /// <returns>False when there is no such job.</returns>
    public async Task<bool> DeleteAsync(string jobId, CancellationToken cancellationToken)
    {
        using var connection = connections.Open();
        var job = JobAdministration.Find(connection, jobId);
        if (job is null)
        {
            return false;
        }

        if (job.Status == JobStatus.Processing && JobAdministration.Cancel(connection, jobId, Now) == CancelResult.Requested)
        {
            var deadline = time.GetUtcNow() + CancelWait;
            while (time.GetUtcNow() < deadline && JobAdministration.Find(connection, jobId) is { Status: JobStatus.Processing })
            {
                await Task.Delay(CancelPoll, time, cancellationToken);
            }
        }

        using (var transaction = WriteTransaction.Begin(connection))
        {
            connection.Execute("DELETE FROM jobs WHERE job_id = @jobId", new { jobId });
            transaction.Commit();
        }

        JobFolders.Delete(computeStorageDirectory, [jobId]);
        return true;
    }

    /// <summary>Deletes finished jobs that ended more than <paramref name="days"/> days ago, with their folders.</summary>
    public (int DeletedCount, long FreedBytes) Cleanup(int days)
    {
        using var connection = connections.Open();
        var ids = JobAdministration.Purge(connection, Now - (days * 86_400_000L), status: null);
        var freed = ids.Sum(id => FolderSize(SandboxPolicy.JobFolder(computeStorageDirectory, id)));
        JobFolders.Delete(computeStorageDirectory, ids);
        return (ids.Count, freed);
    }

    /// <summary>Bytes under <c>COMPUTE_STORAGE_DIR/jobs</c> and how many job folders there are.</summary>
    public (long TotalBytes, int JobCount) StorageSize()
    {
        if (!Directory.Exists(JobsDirectory))
        {
            return (0, 0);
        }

        var folders = Directory.GetDirectories(JobsDirectory);
        return (folders.Sum(FolderSize), folders.Length);
    }

    private static long FolderSize(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        try
        {
            return new DirectoryInfo(folder)
                .EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint })
                .Sum(f => f.Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0; // a folder deleted while we counted
        }
    }
}
