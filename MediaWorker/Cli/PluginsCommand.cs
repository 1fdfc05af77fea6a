using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dapper;
using MediaWorker.Configuration;
using MediaWorker.Plugins;
using MediaWorker.Plugins.Reporting;
using MediaWorker.Storage;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Filters;

namespace MediaWorker.Cli;

/// <summary>
/// <c>mediaworker plugins</c>: loads the plugins exactly as <c>run</c> would and shows what loaded
/// (tasks with description, version, default timeout, concurrency limit and parameters), what failed
/// and why. Exits 0 whenever it ran, failures included: they are the report, not an error.
/// </summary>
internal static class PluginsCommand
{
    private static readonly JsonSerializerOptions JsonOutput = new()
    {
        WriteIndented = true,
        // The output is read by people and scripts, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    internal static Command Create()
    {
        var command = new Command("plugins", "Load the plugins as 'run' would; show each task's description, version, timeout, concurrency limit and parameters, and every plugin that failed to load and why.");
        var pluginDir = new Option<string?>("--plugin-dir") { Description = "Folder of plugin folders (PLUGIN_DIR)." };
        var envFile = new Option<string?>("--env-file") { Description = "Settings file to read (WORKER_ENV_FILE; default ./worker.env)." };
        var json = new Option<bool>("--json") { Description = "One JSON object (plugins with their tasks and full parameter schemas, failures) instead of text." };
        command.Options.Add(pluginDir);
        command.Options.Add(envFile);
        command.Options.Add(json);
        command.SetAction(parseResult =>
        {
            var flags = new Dictionary<string, string>(StringComparer.Ordinal);
            if (parseResult.GetValue(pluginDir) is { Length: > 0 } dir)
            {
                flags["PLUGIN_DIR"] = dir;
            }

            if (parseResult.GetValue(envFile) is { Length: > 0 } file)
            {
                flags["WORKER_ENV_FILE"] = file;
            }

            var settings = PluginHostSettings.Load(SettingsSource.FromProcess(flags));
            using var loggerFactory = CreateLoggerFactory();
            using var host = new PluginHost(settings.PluginDirectory, settings.Source, loggerFactory, settings.Concurrency, new TaskCatalog());
            var registry = host.LoadAll();
            var paused = PausedIn(settings.Source);
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json))
            {
                output.WriteLine(PluginReport.ToJson(registry, host.PluginDirectory, paused).ToJsonString(JsonOutput));
            }
            else
            {
                PluginReport.WriteText(registry, host.PluginDirectory, output, paused);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Paused task types from the job database, when there is one; the report never creates it, and
    /// bad database settings only cost the pause lines (what loads is still reported).
    /// </summary>
    private static IReadOnlyList<QueuePause> PausedIn(SettingsSource source)
    {
        StoreSettings store;
        try
        {
            store = DatabaseSettings.Load(source).Store;
        }
        catch (SettingsException ex)
        {
            Console.Error.WriteLine($"mediaworker: warning: paused queues not shown: {ex.Message}");
            return [];
        }

        if (!store.IsPostgres && !File.Exists(store.DatabasePath))
        {
            return [];
        }

        try
        {
            using var connection = JobStores.For(store).Open();
            var exists = store.IsPostgres
                ? connection.ExecuteScalar<bool>("SELECT to_regclass('paused_queues') IS NOT NULL")
                : connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'paused_queues'") > 0;
            return exists ? PausedQueues.List(connection) : [];
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or DatabaseBusyException)
        {
            Console.Error.WriteLine($"mediaworker: warning: could not read the paused queues from {store.Location}: {ex.Message}");
            return [];
        }
    }

    /// <summary>
    /// Warnings the plugins log while loading go to stderr; the host's own lines are left out
    /// because the report already says what loaded and what failed.
    /// </summary>
    private static SerilogLoggerFactory CreateLoggerFactory()
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Warning()
            .Filter.ByExcluding(Matching.FromSource<PluginHost>())
            .WriteTo.Console(
                outputTemplate: "[{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose,
                formatProvider: CultureInfo.InvariantCulture)
            .CreateLogger();
        return new SerilogLoggerFactory(logger, dispose: true);
    }
}
