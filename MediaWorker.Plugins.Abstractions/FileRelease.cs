namespace MediaWorker.Plugins.Abstractions;

/// <summary>
/// Files a job hands over to the host in a checkpoint (<see cref="JobCheckpoint.FileReleases"/>):
/// the host deletes them once every job and pipeline run in <see cref="ReadBy"/> has finished, or
/// at <see cref="DeleteBy"/> at the latest, also after the job itself has ended. For a handler that
/// must not delete a file while its follow-ups still read it, but is about to end.
/// </summary>
/// <param name="Paths">Absolute paths inside the job's output folder (<see cref="IJobFiles.OutputDirectory"/>); others are refused.</param>
/// <param name="ReadBy">Job ids and pipeline run ids that may still read them (as for <see cref="IJobCheckpoints.UnfinishedAsync"/>).</param>
/// <param name="DeleteBy">The latest time to delete them, whatever their readers do.</param>
public sealed record FileRelease(IReadOnlyList<string> Paths, IReadOnlyList<string> ReadBy, DateTimeOffset DeleteBy);
