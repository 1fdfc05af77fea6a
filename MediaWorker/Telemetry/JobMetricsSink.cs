using MediaWorker.Execution;
using MediaWorker.Messaging;
using MediaWorker.Storage;

namespace MediaWorker.Telemetry;

/// <summary>Records the job instruments of <see cref="WorkerMetrics"/> from the runtime's job events.</summary>
public sealed class JobMetricsSink : IJobEventSink
{
    public void Publish(ClaimedJob job, JobEvent jobEvent)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(jobEvent);
        var task = new KeyValuePair<string, object?>("task_type", job.TaskType);
        switch (jobEvent.EventType)
        {
            case JobEventType.Processing:
                WorkerMetrics.StartLatency.Record(Math.Max(0, job.StartedAt - job.CreatedAt) / 1000.0, task);
                break;
            case JobEventType.Progress:
                break;
            default:
                var outcome = new KeyValuePair<string, object?>("outcome", jobEvent.EventType.ToString().ToLowerInvariant());
                WorkerMetrics.JobsFinished.Add(1, task, outcome);
                WorkerMetrics.JobDuration.Record(Math.Max(0, jobEvent.Timestamp - job.StartedAt) / 1000.0, task, outcome);
                break;
        }
    }
}

/// <summary>Hands each job event to several sinks in turn.</summary>
public sealed class JobEventSinks(params IJobEventSink[] sinks) : IJobEventSink
{
    public void Publish(ClaimedJob job, JobEvent jobEvent)
    {
        foreach (var sink in sinks)
        {
            sink.Publish(job, jobEvent);
        }
    }
}
