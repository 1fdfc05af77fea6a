using System.Diagnostics.Metrics;
using MediaWorker.Execution;
using MediaWorker.Http.Api;
using MediaWorker.Plugins;
using MediaWorker.Storage;
using MediaWorker.Telemetry;

namespace MediaWorker.Http.Metrics;

/// <summary>
/// The gauges read when metrics are collected: queue depth (from the database, at most once a
/// second), slots of the live workers (heartbeat table), plugins, SQLITE_BUSY errors, and the MQTT
/// link of the worker in this process. Owned by one server: disposing removes them.
/// </summary>
public sealed class OperationsGauges : IDisposable
{
    private static readonly TimeSpan QueueReadSpacing = TimeSpan.FromSeconds(1);
    private readonly Meter _meter = new(WorkerMetrics.MeterName);
    private readonly DatabaseConnections _connections;
    private readonly Func<long> _clock;
    private readonly Lock _gate = new();
    private (long ReadAt, IReadOnlyList<QueueCount> Counts, IReadOnlyList<WorkerHeartbeatRow> Workers) _cache = (0, [], []);

    public OperationsGauges(DatabaseConnections connections, Func<TaskRegistry?> plugins, Func<bool?> brokerConnected, Func<long> clock)
    {
        _connections = connections;
        _clock = clock;
        _meter.CreateObservableGauge("mediaworker.queue.depth", () => Read().Counts.Select(c => new Measurement<long>(c.Count, Tag("status", c.Status), Tag("task_type", c.TaskType))),
            "{job}", "Jobs in the database by status and task type.");
        _meter.CreateObservableGauge("mediaworker.slots.busy", () => Read().Workers.Select(w => new Measurement<long>(w.ActiveJobs, Tag("worker_id", w.WorkerId))),
            "{slot}", "Job slots running a job, per live worker (heartbeat table).");
        _meter.CreateObservableGauge("mediaworker.slots.free", () => Read().Workers.Select(w => new Measurement<long>(w.Status == "draining" ? 0 : Math.Max(0, w.Slots - w.ActiveJobs), Tag("worker_id", w.WorkerId))),
            "{slot}", "Job slots free to claim, per live worker (0 while draining).");
        _meter.CreateObservableGauge("mediaworker.workers.live", () => (long)Read().Workers.Count,
            "{worker}", "Workers whose last heartbeat is within their timeout.");
        _meter.CreateObservableGauge("mediaworker.plugins.loaded", () => plugins() is { } r ? [new Measurement<long>(r.Plugins.Count)] : Array.Empty<Measurement<long>>(),
            "{plugin}", "Plugins loaded in this process (the built-in one included).");
        _meter.CreateObservableGauge("mediaworker.plugins.load_failures", () => plugins() is { } r ? [new Measurement<long>(r.Failures.Count)] : Array.Empty<Measurement<long>>(),
            "{plugin}", "Plugin folders that failed to load in this process, at the last (re)load.");
        _meter.CreateObservableCounter("mediaworker.database.busy_errors", () => DatabaseBusyCounter.Total,
            "{error}", "SQLITE_BUSY or SQLITE_LOCKED errors that reached the worker after the busy timeout (SPEC 10: must stay 0).");
        _meter.CreateObservableGauge("mediaworker.mqtt.connected", () => brokerConnected() is { } up ? [new Measurement<long>(up ? 1 : 0)] : Array.Empty<Measurement<long>>(),
            "", "1 while the worker in this process is connected to the MQTT broker, 0 while not; absent without MQTT.");
    }

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);

    private (long ReadAt, IReadOnlyList<QueueCount> Counts, IReadOnlyList<WorkerHeartbeatRow> Workers) Read()
    {
        lock (_gate)
        {
            var now = _clock();
            if (now - _cache.ReadAt < QueueReadSpacing.TotalMilliseconds)
            {
                return _cache;
            }

            using var lease = _connections.Rent();
            _cache = (now, JobQueries.CountByTaskAndStatus(lease.Connection), WorkerHeartbeats.Live(lease.Connection, now));
            return _cache;
        }
    }
}
