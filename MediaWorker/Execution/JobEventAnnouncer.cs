using MediaWorker.Messaging;
using MediaWorker.Storage;

namespace MediaWorker.Execution;

/// <summary>
/// Turns what happens to a job into the job events of SPEC 7 (<c>MQTT_TOPIC</c>), and hands each one
/// to the optional <paramref name="sink"/> too (the operations surface of the same process).
/// </summary>
public sealed class JobEventAnnouncer(IWorkerBroadcaster broadcaster, string workerId, Func<long> clock, IJobEventSink? sink = null)
{
    public void Started(ClaimedJob job) => Publish(job, JobEventType.Processing, 0);

    public void Progressed(ClaimedJob job, int progress) => Publish(job, JobEventType.Progress, progress);

    /// <summary>
    /// Called by <see cref="OutcomeWriter"/> on the database thread right after the outcome committed,
    /// before any later claim can run: a retried job's <c>retrying</c> is always queued before its
    /// next attempt's <c>processing</c>.
    /// </summary>
    public void Settled(ClaimedJob job, JobOutcome outcome, int progress)
    {
        switch (outcome.Kind)
        {
            case OutcomeKind.Completed:
                Publish(job, JobEventType.Completed, 100);
                break;
            case OutcomeKind.Retry:
                Publish(job, JobEventType.Retrying, progress, outcome.ErrorMessage);
                break;
            case OutcomeKind.Failed:
                Publish(job, JobEventType.Failed, progress, outcome.ErrorMessage);
                break;
            case OutcomeKind.Cancelled:
                Publish(job, JobEventType.Cancelled, progress);
                break;
            case OutcomeKind.Requeued:
                // Not an event of the job's own: the worker is stopping (its presence says so).
                break;
        }
    }

    private void Publish(ClaimedJob job, JobEventType type, int progress, string? error = null)
    {
        var jobEvent = new JobEvent(job.JobId, type, job.TaskType, workerId, clock(), progress, job.Attempt, error);
        broadcaster.PublishJobEvent(jobEvent);
        sink?.Publish(job, jobEvent);
    }
}
