using System.CommandLine;
using MediaWorker.ComputeService;
using MediaWorker.Execution;
using MediaWorker.Http;
using MediaWorker.Logging;
using MediaWorker.Telemetry;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker run</c>: the daemon.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the worker daemon until SIGINT/SIGTERM (a second signal exits at once).");
        var options = SettingsOptions.ForWorker(command);
        command.SetAction(async (parseResult, _) =>
        {
            var settings = CommandContext.LoadSettings(options, parseResult);
            using var loggerFactory = LoggingSetup.Create(settings.Log);
            using var signals = new ShutdownSignals();
            try
            {
                // COMPUTE_API_LISTEN given: the seed-compatible compute service runs beside the worker.
                await using var computeApi = await ComputeServiceHost.StartIfConfiguredAsync(settings, loggerFactory, signals.Stopping);

                // HTTP_LISTEN given: the operations surface runs beside the worker and follows it.
                var sources = new OperationsSources { PluginDirectory = settings.PluginDirectory };
                await using var server = settings.Http.ListenExplicit ? await OperationsServer.StartAsync(settings, sources, loggerFactory, signals.Stopping) : null;
                var metrics = new JobMetricsSink();
                var hooks = new RuntimeHooks
                {
                    JobEvents = server is null ? metrics : new JobEventSinks(metrics, server.JobEvents),
                    Started = worker => sources.UseWorker(worker, worker.BrokerConnected),
                };
                var exitCode = await new WorkerRuntime(settings, loggerFactory, hooks: hooks).RunAsync(signals.Stopping);
                if (computeApi is not null)
                {
                    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await computeApi.StopAsync(stop.Token);
                }

                return exitCode;
            }
            catch (InvalidOperationException ex)
            {
                loggerFactory.CreateLogger("MediaWorker.Worker").LogCritical("{Message}", ex.Message);
                throw;
            }
        });
        return command;
    }
}
