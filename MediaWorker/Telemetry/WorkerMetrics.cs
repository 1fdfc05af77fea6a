using System.Diagnostics.Metrics;

namespace MediaWorker.Telemetry;

/// <summary>
/// The instruments the worker records as it runs (System.Diagnostics.Metrics, meter
/// <see cref="MeterName"/>). They cost nothing until a listener (the /metrics exporter, OTLP)
/// subscribes. Gauges read at collection time live with their sources (see Http/Metrics).
/// docs/metrics.md describes every one.
/// </summary>
public static class WorkerMetrics
{
    /// <summary>The meter every MediaWorker instrument belongs to.</summary>
    public const string MeterName = "MediaWorker";

    private static readonly Meter Meter = new(MeterName, typeof(WorkerMetrics).Assembly.GetName().Version?.ToString());

    // Seconds from a millisecond claim to a day-long transcode: the default buckets are meant for milliseconds.
    private static readonly InstrumentAdvice<double> JobSeconds = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    };

    private static readonly InstrumentAdvice<double> ClaimSeconds = new()
    {
        HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    };

    /// <summary>Attempts that ended, tagged <c>task_type</c> and <c>outcome</c> (completed, failed, cancelled, retrying).</summary>
    public static Counter<long> JobsFinished { get; } = Meter.CreateCounter<long>(
        "mediaworker.jobs.finished", "{job}", "Job attempts that ended, by task type and outcome (completed, failed, cancelled, retrying).");

    /// <summary>Seconds from an attempt's start to its end, tagged <c>task_type</c> and <c>outcome</c>.</summary>
    public static Histogram<double> JobDuration { get; } = Meter.CreateHistogram<double>(
        "mediaworker.job.duration", "s", "How long job attempts ran, from claim to outcome, by task type and outcome.", advice: JobSeconds);

    /// <summary>Seconds from a job's creation to the start of its attempt, tagged <c>task_type</c>.</summary>
    public static Histogram<double> StartLatency { get; } = Meter.CreateHistogram<double>(
        "mediaworker.job.start_latency", "s", "Seconds from a job's created_at to the claim that started an attempt, by task type (includes any run-after delay and retry backoff).", advice: JobSeconds);

    /// <summary>Seconds one claim transaction took (the one statement of SPEC 4, including the wait for the write lock).</summary>
    public static Histogram<double> ClaimDuration { get; } = Meter.CreateHistogram<double>(
        "mediaworker.claim.duration", "s", "Seconds one claim transaction took, including the wait for the write lock.", advice: ClaimSeconds);
}
