using System.CommandLine;
using MediaWorker.ComputeService;
using MediaWorker.Execution;
using MediaWorker.Logging;
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
                await using var computeApi = await ComputeServiceHost.StartIfConfiguredAsync(settings, loggerFactory, signals.Stopping);
                var exitCode = await new WorkerRuntime(settings, loggerFactory).RunAsync(signals.Stopping);
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
