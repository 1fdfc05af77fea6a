using System.CommandLine;
using System.Globalization;
using MediaWorker.Concurrency;
using MediaWorker.Configuration;
using MediaWorker.Execution;
using MediaWorker.Logging;
using MediaWorker.Messaging.Mqtt.Watching;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Cli;

/// <summary>
/// <c>mediaworker workers</c>: the workers announcing themselves on <c>$CAPABILITY_TOPIC_PREFIX/+</c>,
/// live (a table redrawn as messages arrive) or once (<c>--once</c>), as text or JSON.
/// </summary>
internal static class WorkersCommand
{
    internal static Command Create() => Create(Console.Out);

    /// <summary>The command writing its table or JSON to <paramref name="output"/> (tests read it from a StringWriter).</summary>
    internal static Command Create(TextWriter output)
    {
        var command = new Command("workers", "Show the workers announcing themselves over MQTT: status, free/total slots, tasks, last seen (stale after three missed heartbeats).");
        var once = new Option<bool>("--once") { Description = "Print the retained state once and exit instead of watching." };
        var json = new Option<bool>("--json") { Description = "JSON instead of a table: one array (with --once), or one array per change." };
        var timeout = new Option<double>("--timeout") { Description = "With --once: seconds to wait for the broker before failing.", DefaultValueFactory = _ => 5 };
        command.Options.Add(once);
        command.Options.Add(json);
        command.Options.Add(timeout);
        var settingsOptions = SettingsOptions.ForBroker(command);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var reader = new SettingsReader(SettingsSource.FromProcess(settingsOptions.Flags(parseResult)));
            var broadcast = BroadcastSettings.Read(reader, "workers");
            var log = LogSettings.Read(reader);
            reader.ThrowIfInvalid();
            var seconds = parseResult.GetValue(timeout);
            if (seconds is <= 0 or > 3600)
            {
                throw new UsageException("--timeout must be a number of seconds from 0 to 3600.");
            }

            // Connection trouble goes to stderr; stdout is the table (or JSON) alone.
            using var loggerFactory = LoggingSetup.Create(reader.Optional("LOG_LEVEL") is null ? log with { Level = "warning" } : log);
            using var watcher = new CapabilityWatcher(broadcast, loggerFactory.CreateLogger("MediaWorker.Mqtt"));
            using var signals = new ShutdownSignals();
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(signals.Stopping, cancellationToken);
            watcher.Start();
            try
            {
                return parseResult.GetValue(once)
                    ? await PrintOnceAsync(watcher, output, parseResult.GetValue(json), TimeSpan.FromSeconds(seconds), stopping.Token)
                    : await WatchAsync(watcher, output, parseResult.GetValue(json), stopping.Token);
            }
            finally
            {
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await watcher.StopAsync(stop.Token);
            }
        });
        return command;
    }

    private static async Task<int> PrintOnceAsync(CapabilityWatcher watcher, TextWriter output, bool json, TimeSpan timeout, CancellationToken stopping)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        bound.CancelAfter(timeout);
        if (!await watcher.WaitForRetainedAsync(bound.Token))
        {
            if (stopping.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }

            throw new InvalidOperationException(
                $"cannot read the workers from {watcher.Endpoint}: {watcher.LastFailure ?? $"no answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s"}. Check MQTT_URL (--mqtt-url), or raise --timeout.");
        }

        var rows = watcher.Directory.Rows(DateTimeOffset.UtcNow);
        await output.WriteLineAsync(json ? WorkerTable.Json(rows) : WorkerTable.Text(rows));
        await output.FlushAsync(CancellationToken.None);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Redraws on every change and every second (ages move, workers go stale). Into a pipe or a
    /// file it prints only when what it would show changes, apart from the ages.
    /// </summary>
    private static async Task<int> WatchAsync(CapabilityWatcher watcher, TextWriter output, bool json, CancellationToken stopping)
    {
        var changed = new WakeSignal();
        watcher.Changed += changed.Set;
        var terminal = output == Console.Out && !Console.IsOutputRedirected && !json;
        string? shown = null;
        while (!stopping.IsCancellationRequested)
        {
            var rows = watcher.Directory.Rows(DateTimeOffset.UtcNow);
            if (terminal)
            {
                var state = watcher.IsConnected ? "connected" : $"connecting ({watcher.LastFailure ?? "first attempt"})";
                await output.WriteAsync($"\u001b[H\u001b[J{watcher.Filter} on {watcher.Endpoint}, {state}, {DateTime.Now:HH:mm:ss}. Ctrl+C to quit.\n\n{WorkerTable.Text(rows)}\n");
            }
            else
            {
                // Heartbeats only move the ages: not worth a new table (or JSON line) in a log.
                var key = string.Join('\n', rows.Select(r => $"{r.Worker.WorkerId} {r.Status} {r.Worker.IdleCount} {string.Join(',', r.Worker.Capabilities)}"));
                if (key != shown)
                {
                    shown = key;
                    await output.WriteLineAsync(json ? WorkerTable.Json(rows) : WorkerTable.Text(rows) + "\n");
                    await output.FlushAsync(CancellationToken.None);
                }
            }

            await changed.WaitAsync(TimeSpan.FromSeconds(1), stopping);
        }

        return ExitCodes.Ok;
    }
}
