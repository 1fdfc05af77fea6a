using System.CommandLine;
using MediaWorker.Execution;
using MediaWorker.Http;
using MediaWorker.Logging;
using MediaWorker.Plugins;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Cli;

/// <summary>
/// <c>mediaworker serve</c>: the dashboard, HTTP API, /metrics and health checks on HTTP_LISTEN,
/// without running jobs. Works whether or not workers run; they are seen through the database.
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Serve the dashboard, the HTTP API, /metrics, /healthz and /readyz on HTTP_LISTEN (default 127.0.0.1:8780) until SIGINT/SIGTERM; runs no jobs.");
        var options = SettingsOptions.ForServe(command);
        command.SetAction(async (parseResult, _) =>
        {
            var settings = CommandContext.LoadSettings(options, parseResult);
            using var loggerFactory = LoggingSetup.Create(settings.Log);
            using var signals = new ShutdownSignals();
            var catalog = new TaskCatalog();
            using var plugins = new PluginHost(settings.PluginDirectory, settings.Source, loggerFactory, settings.Concurrency, catalog);
            var sources = new OperationsSources { PluginDirectory = plugins.PluginDirectory };
            await using var server = await OperationsServer.StartAsync(settings, sources, loggerFactory, signals.Stopping);
            Console.WriteLine($"Dashboard: {server.Address}");
            plugins.LoadAll();
            sources.UsePlugins(catalog);
            using var pluginWatcher = plugins.CreateWatcher();
            await pluginWatcher.StartAsync(CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, signals.Stopping);
            }
            catch (OperationCanceledException)
            {
            }

            await pluginWatcher.StopAsync(CancellationToken.None);

            loggerFactory.CreateLogger("MediaWorker.Http").LogInformation("Stopping the operations surface.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
