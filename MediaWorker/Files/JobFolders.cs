namespace MediaWorker.Files;

/// <summary>Deletes the folders of purged jobs (<c>COMPUTE_STORAGE_DIR/jobs/&lt;job_id&gt;</c>).</summary>
public static class JobFolders
{
    public static int Delete(string computeStorageDirectory, IEnumerable<string> jobIds)
    {
        var deleted = 0;
        foreach (var jobId in jobIds)
        {
            // Job ids are uuids from our producers, but a foreign producer could have written anything.
            if (jobId.Length == 0 || jobId.Contains('/', StringComparison.Ordinal) || jobId is "." or "..")
            {
                continue;
            }

            var folder = Path.Combine(computeStorageDirectory, "jobs", jobId);
            try
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                    deleted++;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return deleted;
    }
}
