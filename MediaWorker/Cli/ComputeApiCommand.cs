using System.CommandLine;
using MediaWorker.ComputeService;
using MediaWorker.Configuration;
using MediaWorker.Execution;
using MediaWorker.Logging;

namespace MediaWorker.Cli;

/// <summary>
/// <c>mediaworker compute-api</c>: the seed-compatible compute API alone, without a worker (docs/compute-service.md).
/// <c>mediaworker run</c> hosts the same API beside the worker when COMPUTE_API_LISTEN is set.
/// </summary>
public static class ComputeApiCommand
{
    public static Command Create()
    {
        var command = new Command("compute-api", "Serve the cl_server compute service's HTTP API (uploads, jobs, files, capabilities) until SIGINT/SIGTERM; no worker runs in this process.");
        var listen = new Option<string?>("--listen") { Description = "host:port to listen on (COMPUTE_API_LISTEN; default 127.0.0.1:8002)." };
        command.Options.Add(listen);
        var options = SettingsOptions.ForWorker(command);
        command.SetAction(async (parseResult, _) =>
        {
            var flags = new Dictionary<string, string>(options.Flags(parseResult), StringComparer.Ordinal);
            if (parseResult.GetValue(listen) is { Length: > 0 } address)
            {
                flags["COMPUTE_API_LISTEN"] = address;
            }

            var worker = WorkerSettings.Load(SettingsSource.FromProcess(flags));
            // This command's purpose is to listen: without COMPUTE_API_LISTEN it takes the seed's port.
            var settings = ComputeServiceSettings.Read(worker, defaultListen: "127.0.0.1:8002");

            using var loggerFactory = LoggingSetup.Create(worker.Log);
            using var signals = new ShutdownSignals();
            await using var host = ComputeServiceHost.Create(settings, worker.ServerDirectory, loggerFactory, TimeProvider.System);
            await host.StartAsync(signals.Stopping);
            try
            {
                await Task.Delay(Timeout.Infinite, signals.Stopping);
            }
            catch (OperationCanceledException)
            {
            }

            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(stop.Token);
            return ExitCodes.Ok;
        });
        return command;
    }
}
