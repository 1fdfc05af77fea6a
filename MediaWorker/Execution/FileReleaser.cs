using MediaWorker.Execution.Writing;
using MediaWorker.Storage;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Execution;

/// <summary>
/// The one place that deletes files jobs handed over (<c>JobCheckpoint.FileReleases</c>): run by
/// the maintenance loop of every worker, each for the files of its own machine. A file already
/// gone is fine; one that cannot be deleted is logged, and its release is dropped all the same (its
/// job's folder goes with the job's purge).
/// </summary>
public sealed class FileReleaser(DatabaseWriter database, ILogger logger)
{
    /// <summary>Deletes the files of the releases now due; returns how many files went.</summary>
    public async Task<int> ReleaseDueAsync()
    {
        var due = await database.InvokeAsync((s, nowMs) => FileReleaseStore.Due(s.Connection, nowMs));
        if (due.Count == 0)
        {
            return 0;
        }

        var deleted = 0;
        foreach (var path in due.SelectMany(r => r.Paths))
        {
            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                    deleted++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("A released file could not be deleted: {Path}: {Reason}", path, ex.Message);
            }
        }

        await database.InvokeAsync((s, _) => FileReleaseStore.Remove(s.Connection, [.. due.Select(r => r.ReleaseId)]));
        return deleted;
    }
}
