namespace MediaWorker.Storage;

/// <summary>What one checkpoint writes (<see cref="CheckpointStore.Write"/>).</summary>
/// <param name="StateJson">The handler's state, a JSON object.</param>
/// <param name="FollowUps">Jobs to queue.</param>
/// <param name="Runs">Pipeline runs to start.</param>
/// <param name="Releases">Files handed over for deletion once their readers finished.</param>
/// <param name="Progress">The job's progress, or null to leave it.</param>
public sealed record CheckpointRows(string StateJson, IReadOnlyList<NewJob> FollowUps, IReadOnlyList<CheckpointRun> Runs, IReadOnlyList<CheckpointRelease> Releases, int? Progress);
