using MediaWorker.Execution;
using MediaWorker.Messaging;
using MediaWorker.Storage;

namespace MediaWorker.Http.Events;

/// <summary>The runtime's job events (same process), fed to the live stream as they are announced.</summary>
public sealed class LiveJobEventSink(JobStateTracker tracker) : IJobEventSink
{
    public void Publish(ClaimedJob job, JobEvent jobEvent)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(jobEvent);
        var status = jobEvent.EventType switch
        {
            JobEventType.Processing or JobEventType.Progress => JobStatus.Processing,
            JobEventType.Completed => JobStatus.Completed,
            JobEventType.Failed => JobStatus.Failed,
            JobEventType.Cancelled => JobStatus.Cancelled,
            _ => JobStatus.Queued, // retrying: back in the queue until its next attempt
        };
        tracker.Observe(job.JobId, job.TaskType, status, jobEvent.Attempt, jobEvent.Progress, jobEvent.WorkerId, jobEvent.Error, jobEvent.Timestamp);
    }
}
