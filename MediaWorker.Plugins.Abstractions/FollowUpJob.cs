using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Abstractions;

/// <summary>A job to enqueue when the current one completes.</summary>
/// <param name="TaskType">The follow-up's task type, e.g. <c>clip_extract</c>.</param>
/// <param name="Parameters">Its parameters.</param>
public sealed record FollowUpJob(string TaskType, JsonObject Parameters)
{
    /// <summary>Higher runs first; the default matches the database default.</summary>
    public int Priority { get; init; } = 5;

    /// <summary>Retries after the first attempt; <see langword="null"/> takes the database default (3).</summary>
    public int? MaxRetries { get; init; }

    /// <summary>
    /// The job id the follow-up gets (a new uuid by default). Give one to store it in the same
    /// checkpoint (<see cref="IJobCheckpoints.CommitAsync"/>) that queues the job. It must be unique.
    /// </summary>
    public string JobId { get; init; } = Guid.NewGuid().ToString();

    /// <summary>The earliest time the follow-up may start; <see langword="null"/> for at once.</summary>
    public DateTimeOffset? RunAfter { get; init; }
}
