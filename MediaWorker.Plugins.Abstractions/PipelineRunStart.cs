using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Abstractions;

/// <summary>
/// A run of a stored pipeline to start in a checkpoint's transaction
/// (<see cref="JobCheckpoint.PipelineRuns"/>): the pipeline follow-up of one part of a long job,
/// such as one segment of a live stream.
/// </summary>
/// <param name="Pipeline">A stored pipeline's name; its newest version runs.</param>
/// <param name="Input">The run's input (read by the steps as <c>input.*</c>, over the pipeline's defaults).</param>
/// <param name="Key">
/// Names the part within the job (e.g. <c>segment-000004</c>). The run's idempotency key is made of
/// the job id and this key, so a second commit with the same key, by any attempt, starts nothing
/// and the first run stands.
/// </param>
public sealed record PipelineRunStart(string Pipeline, JsonObject Input, string Key)
{
    /// <summary>
    /// The run id the run gets (a new uuid by default). Store it in the same checkpoint's state to ask
    /// <see cref="IJobCheckpoints.UnfinishedAsync"/> about the run later.
    /// </summary>
    public string RunId { get; init; } = Guid.NewGuid().ToString();
}
