using System.Data.Common;
using System.Text.Json;
using MediaWorker.Concurrency;
using MediaWorker.Configuration;
using MediaWorker.Messaging;
using MediaWorker.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Execution;

/// <summary>
/// Keeps this worker's row in the <c>workers</c> table fresh: every <see cref="HeartbeatSettings.Interval"/>,
/// and soon after a change of state (at most once a second), so readers without MQTT see live
/// workers and their slots. Stopping deletes the row; a killed worker's row ages out after
/// <see cref="HeartbeatSettings.Timeout"/>. A failing database only delays heartbeats.
/// </summary>
public sealed class HeartbeatLoop(
    HeartbeatSettings settings,
    Func<WorkerSnapshot> snapshot,
    Func<Action<DbConnection>, Task> write,
    TimeProvider time,
    ILogger logger) : BackgroundService
{
    private readonly TimeSpan _changeSpacing = settings.Interval < TimeSpan.FromSeconds(2) ? settings.Interval / 2 : TimeSpan.FromSeconds(1);
    private readonly WakeSignal _changed = new();
    private readonly long _startedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
    private readonly string _host = Environment.MachineName;
    private readonly string? _version = typeof(HeartbeatLoop).Assembly.GetName().Version?.ToString(3);
    private bool _failing;

    /// <summary>The worker's state changed (a job started or ended, draining began): write soon.</summary>
    public void Changed() => _changed.Set();

    /// <summary>Stops beating, then deletes the row: the worker is gone now, not after the timeout.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await RemoveAsync();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await BeatAsync();
            // A burst of job starts and ends collapses into one write per spacing.
            try
            {
                await Task.Delay(_changeSpacing, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            await _changed.WaitAsync(settings.Interval - _changeSpacing, time, stoppingToken);
        }
    }

    private async Task RemoveAsync()
    {
        try
        {
            await write(connection => WorkerHeartbeats.Remove(connection, snapshot().WorkerId, Environment.ProcessId));
        }
        catch (Exception ex) when (ex is DbException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            logger.LogWarning("Could not remove this worker's heartbeat row ({Message}); it ages out after {Timeout} s.", ex.Message, settings.Timeout.TotalSeconds);
        }
    }

    private async Task BeatAsync()
    {
        var now = snapshot();
        var row = new WorkerHeartbeatRow
        {
            WorkerId = now.WorkerId,
            Host = _host,
            Pid = Environment.ProcessId,
            Capabilities = JsonSerializer.Serialize(now.Capabilities),
            Slots = now.MaxConcurrency,
            ActiveJobs = now.ActiveJobs,
            Status = now.Status,
            Version = _version,
            StartedAt = _startedAt,
            LastSeen = time.GetUtcNow().ToUnixTimeMilliseconds(),
            HeartbeatTimeoutMs = (long)settings.Timeout.TotalMilliseconds,
        };
        try
        {
            await write(connection => WorkerHeartbeats.Upsert(connection, row));
            if (_failing)
            {
                _failing = false;
                logger.LogInformation("Heartbeats are written again.");
            }
        }
        catch (Exception ex) when (ex is DbException or IOException or InvalidOperationException)
        {
            if (!_failing)
            {
                _failing = true;
                logger.LogWarning("Writing this worker's heartbeat failed ({Message}); trying again every {Interval} s.", ex.Message, settings.Interval.TotalSeconds);
            }
        }
    }
}
