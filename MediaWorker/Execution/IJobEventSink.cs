using MediaWorker.Messaging;
using MediaWorker.Storage;

namespace MediaWorker.Execution;

/// <summary>
/// Receives every job event the runtime announces, right where it is announced (a job's outcome
/// right after its commit, on the database thread): the seam through which the operations surface
/// (live stream, metrics) follows the worker in the same process. Implementations must not block.
/// </summary>
public interface IJobEventSink
{
    /// <summary>One event of <paramref name="job"/>; never throws.</summary>
    void Publish(ClaimedJob job, JobEvent jobEvent);
}
