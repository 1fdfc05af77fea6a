using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Concurrency;
using MediaWorker.Execution;
using MediaWorker.Http.Api;
using MediaWorker.Storage;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Http.Events;

/// <summary>
/// Streams what any process writes to the database: it reads the job rows written since its last
/// read (<c>updated_at</c>, indexed) and the live workers, and publishes what changed. It reads only
/// while someone listens. A job that starts and ends between two reads shows only its end; the
/// runtime's own events (same process) fill that gap.
/// </summary>
/// <remarks>
/// On the SQLite file every commit wakes it (the WAL watch), with a read a second as the bound. On
/// PostgreSQL it polls every <see cref="PostgresPoll"/>: the jobs trigger notifies on inserts and
/// requeues only, not on claims, progress or outcomes, and a NOTIFY on every update would put
/// PostgreSQL's commit-time lock on the notification queue into every worker's writes for the sake
/// of a dashboard. The poll is one indexed range read on a pooled connection, and only while a
/// stream is open.
/// </remarks>
public sealed class DatabaseChangeFeed(
    DatabaseConnections connections,
    JobStateTracker tracker,
    EventHub hub,
    Func<long> clock,
    ILogger logger)
{
    /// <summary>Rows committed a little out of updated_at order (clocks of several processes) are read again; the tracker drops repeats.</summary>
    private const long OverlapMs = 2000;
    private const int BatchSize = 2000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PostgresPoll = TimeSpan.FromMilliseconds(250);
    private readonly WakeSignal _wake = new();
    private Dictionary<string, string> _workers = new(StringComparer.Ordinal);
    private bool _failing;

    public async Task RunAsync(CancellationToken stopping)
    {
        var postgres = connections.Store.Settings.IsPostgres;
        using var watcher = postgres ? null : new QueueChangeWatcher(connections.Store.Settings.DatabasePath, _wake.Set);
        var bound = postgres ? PostgresPoll : Bound;
        hub.FirstSubscriber += _wake.Set;
        try
        {
            var cursor = clock();
            while (!stopping.IsCancellationRequested)
            {
                if (hub.SubscriberCount == 0)
                {
                    await _wake.WaitAsync(Timeout.InfiniteTimeSpan, stopping);
                    cursor = clock() - OverlapMs;
                    continue;
                }

                var full = false;
                try
                {
                    (cursor, full) = ReadJobs(cursor);
                    ReadWorkers();
                    if (_failing)
                    {
                        _failing = false;
                        logger.LogInformation("The live stream reads the database again.");
                    }
                }
                catch (Exception ex) when (ex is DbException or IOException or TimeoutException or InvalidOperationException)
                {
                    connections.ForgetIdle();
                    if (!_failing)
                    {
                        _failing = true;
                        logger.LogWarning("The live stream cannot read the database ({Message}); trying again every {Seconds} s.", ex.Message, bound.TotalSeconds);
                    }
                }

                if (!full)
                {
                    await _wake.WaitAsync(bound, stopping);
                }
            }
        }
        finally
        {
            hub.FirstSubscriber -= _wake.Set;
        }
    }

    private (long Cursor, bool Full) ReadJobs(long cursor)
    {
        using var lease = connections.Rent();
        var rows = JobQueries.ChangedSince(lease.Connection, cursor - OverlapMs, BatchSize);
        foreach (var row in rows)
        {
            tracker.Observe(row.JobId, row.TaskType, row.Status, row.Attempts, row.Progress, row.WorkerId, row.ErrorMessage, row.UpdatedAt);
        }

        var next = rows.Count > 0 ? Math.Max(cursor, rows[^1].UpdatedAt) : cursor;
        // A full batch whose rows all share the overlap window would read the same rows forever: move past them.
        var full = rows.Count == BatchSize;
        return (full ? Math.Max(next, cursor + 1) + OverlapMs : next, full);
    }

    private void ReadWorkers()
    {
        using var lease = connections.Rent();
        var now = clock();
        var live = WorkerHeartbeats.Live(lease.Connection, now).ToDictionary(w => w.WorkerId, StringComparer.Ordinal);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, row) in live)
        {
            // last_seen moves on every heartbeat: a change is a change of anything else.
            var key = $"{row.Status} {row.ActiveJobs} {row.Slots} {row.Capabilities} {row.Pid}";
            seen[id] = key;
            if (!_workers.TryGetValue(id, out var before) || before != key)
            {
                hub.Publish("worker", WorkerJson(row, before is null ? "joined" : "changed", now));
            }
        }

        foreach (var id in _workers.Keys.Where(id => !seen.ContainsKey(id)))
        {
            hub.Publish("worker", new JsonObject { ["worker_id"] = id, ["change"] = "left", ["timestamp"] = now });
        }

        _workers = seen;
    }

    /// <summary>A worker row as the API and the stream show it.</summary>
    public static JsonObject WorkerJson(WorkerHeartbeatRow row, string? change, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(row);
        JsonNode? capabilities;
        try
        {
            capabilities = JsonNode.Parse(row.Capabilities);
        }
        catch (JsonException)
        {
            capabilities = new JsonArray();
        }

        var json = new JsonObject
        {
            ["worker_id"] = row.WorkerId,
            ["host"] = row.Host,
            ["pid"] = row.Pid,
            ["status"] = row.Status,
            ["capabilities"] = capabilities,
            ["slots"] = row.Slots,
            ["active_jobs"] = row.ActiveJobs,
            ["idle_slots"] = row.Status == "draining" ? 0 : Math.Max(0, row.Slots - row.ActiveJobs),
            ["version"] = row.Version,
            ["started_at"] = row.StartedAt,
            ["last_seen"] = row.LastSeen,
            ["last_seen_ms_ago"] = Math.Max(0, nowMs - row.LastSeen),
            ["heartbeat_timeout_ms"] = row.HeartbeatTimeoutMs,
        };
        if (change is not null)
        {
            json["change"] = change;
            json["timestamp"] = nowMs;
        }

        return json;
    }
}
