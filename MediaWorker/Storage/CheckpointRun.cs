namespace MediaWorker.Storage;

/// <summary>A pipeline run a checkpoint starts (<see cref="CheckpointStore.Write"/>): the row form of a plugin's <c>PipelineRunStart</c>.</summary>
/// <param name="RunId">The id the run gets.</param>
/// <param name="Pipeline">The stored pipeline's name.</param>
/// <param name="InputJson">The run's input, a JSON object.</param>
/// <param name="IdempotencyKey"><c>checkpoint:JOB:KEY</c>: one run per job and key, whichever attempt commits it.</param>
/// <param name="CreatedBy"><c>job:JOB</c>.</param>
public sealed record CheckpointRun(string RunId, string Pipeline, string InputJson, string IdempotencyKey, string CreatedBy);
