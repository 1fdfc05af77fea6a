using System.Globalization;
using MediaWorker.Execution.Writing;
using MediaWorker.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Execution;

/// <summary>
/// Tells systemd how the daemon is doing (<c>Type=notify</c>): READY once it claims jobs, STOPPING
/// when it drains, and, when the unit sets <c>WatchdogSec=</c>, a WATCHDOG ping at half that
/// interval, sent only after the single writer has answered, so a wedged database thread gets
/// the service restarted. Does nothing outside systemd (no <c>NOTIFY_SOCKET</c>).
/// </summary>
public sealed class SystemdWatchdog(DatabaseWriter database, TimeProvider time, ILogger logger) : BackgroundService
{
    private static readonly ServiceState Watchdog = new("WATCHDOG=1");
    private readonly SystemdNotifier _notifier = new();

    /// <summary>True when started by systemd with a notify socket.</summary>
    public bool IsEnabled => _notifier.IsEnabled;

    public void Ready(string status)
    {
        if (_notifier.IsEnabled)
        {
            _notifier.Notify(ServiceState.Ready);
            _notifier.Notify(new ServiceState("STATUS=" + status));
        }
    }

    public void Stopping()
    {
        if (_notifier.IsEnabled)
        {
            _notifier.Notify(ServiceState.Stopping);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_notifier.IsEnabled || WatchdogInterval() is not { } interval)
        {
            return;
        }

        logger.LogInformation("systemd watchdog armed: pinging every {Seconds} s while the database writer answers.", interval.TotalSeconds / 2);
        using var timer = new PeriodicTimer(interval / 2, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // A no-op round trip through the writer's queue: proves the thread that does all writes is alive.
                try
                {
                    await database.InvokeAsync((_, _) => true, inTransaction: false).WaitAsync(interval / 2, time, stoppingToken);
                }
                catch (DatabaseFileException)
                {
                    // The writer answered: it refused to touch a database that is gone or unwritable,
                    // which the claim loop reports and waits out. The process is alive.
                }

                _notifier.Notify(Watchdog);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (TimeoutException)
        {
            logger.LogCritical("The database writer did not answer within {Seconds} s; no more watchdog pings, systemd will restart the service.", interval.TotalSeconds / 2);
        }
    }

    /// <summary>WATCHDOG_USEC, when it is meant for this process (WATCHDOG_PID absent or ours).</summary>
    private static TimeSpan? WatchdogInterval()
    {
        var usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (pid is not null && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? TimeSpan.FromMicroseconds(value)
            : null;
    }
}
