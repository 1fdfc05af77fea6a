using MediaWorker.Messaging;
using MediaWorker.Storage;

namespace MediaWorker.Execution;

/// <summary>Turns what happens to a job into the job events of SPEC 7 (<c>MQTT_TOPIC</c>).</summary>
public sealed class JobEventFactory(string workerId, TimeProvider time)
{
    public JobEvent Started(ClaimedJob job) => Create(job, JobEventType.Processing, 0);

    public JobEvent Progressed(ClaimedJob job, int progress) => Create(job, JobEventType.Progress, progress);

    /// <summary>The event of a written outcome; none for a graceful re-queue (the worker's presence says it is stopping).</summary>
    public JobEvent? Settled(ClaimedJob job, JobOutcome outcome, int progress) => outcome.Kind switch
    {
        OutcomeKind.Completed => Create(job, JobEventType.Completed, 100),
        OutcomeKind.Retry => Create(job, JobEventType.Retrying, progress, outcome.ErrorMessage),
        OutcomeKind.Failed => Create(job, JobEventType.Failed, progress, outcome.ErrorMessage),
        OutcomeKind.Cancelled => Create(job, JobEventType.Cancelled, progress),
        _ => null,
    };

    private JobEvent Create(ClaimedJob job, JobEventType type, int progress, string? error = null) =>
        new(job.JobId, type, job.TaskType, workerId, time.GetUtcNow().ToUnixTimeMilliseconds(), progress, job.Attempt, error);
}
