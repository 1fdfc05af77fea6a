using System.CommandLine;
using MediaWorker.Configuration;
using MediaWorker.JobRequests;
using MediaWorker.Pipelines;
using MediaWorker.Pipelines.Definitions;
using MediaWorker.Pipelines.Runs;
using MediaWorker.Pipelines.Validation;
using MediaWorker.Plugins;
using System.Data.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker pipeline validate | run | runs | run-status | cancel | retry</c> (docs/pipelines.md).</summary>
public static class PipelineCommand
{
    private static readonly TimeSpan WaitPoll = TimeSpan.FromMilliseconds(200);

    public static Command Create()
    {
        var command = new Command("pipeline", "Validate pipeline definitions, start runs, and look at, cancel or retry them.");
        command.Subcommands.Add(Validate());
        command.Subcommands.Add(Run());
        command.Subcommands.Add(Runs());
        command.Subcommands.Add(RunId("run-status", "Show a run and the state of each step as JSON.", (connection, id) =>
        {
            Console.WriteLine(Find(connection, id).ToJson().ToJsonString(JobJson.Indented));
            return ExitCodes.Ok;
        }));
        command.Subcommands.Add(RunId("cancel", "Cancel a run: waiting steps at once, queued step jobs at once, running ones within about a second.", (connection, id) =>
        {
            PipelineRuns.Cancel(connection, id, CommandContext.Now());
            Console.WriteLine($"{id} cancelled");
            return ExitCodes.Ok;
        }));
        command.Subcommands.Add(RunId("retry", "Resume a failed or cancelled run from its failed steps, keeping the finished ones.", (connection, id) =>
        {
            PipelineRuns.Retry(connection, id, CommandContext.Now());
            Console.WriteLine($"{id} resumed");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Validate()
    {
        var command = new Command("validate", "Check a definition file: task types, references, cycles and parameters (exit 1 when it is not valid).");
        var file = new Argument<string>("file") { Description = "The definition: a JSON file, or YAML when it ends in .yaml or .yml." };
        command.Arguments.Add(file);
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult =>
        {
            var source = CommandContext.Source(settingsOptions, parseResult);
            var (definition, report) = PipelineValidator.Validate(ReadFile(parseResult.GetValue(file)!), LoadSchemas(source));
            foreach (var warning in report.Warnings)
            {
                Console.Error.WriteLine($"warning: {warning}");
            }

            foreach (var error in report.Errors)
            {
                Console.Error.WriteLine($"error: {error}");
            }

            if (definition is null)
            {
                return ExitCodes.Failure;
            }

            Console.WriteLine($"{definition.Name}: valid ({definition.Steps.Count} steps)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Run()
    {
        var command = new Command("run", "Start a run of a definition file (stored as a new version when it changed) or of a stored pipeline by name; prints the run id.");
        var target = new Argument<string>("file_or_name") { Description = "A definition file (JSON, or YAML ending in .yaml or .yml), or the name of a stored pipeline." };
        var input = new Option<string?>("--input") { Description = "The run's input as a JSON object, e.g. '{\"path\": \"/media/a.mp4\"}'." };
        var key = new Option<string?>("--idempotency-key") { Description = "Starting twice with the same key returns the first run." };
        var wait = new Option<bool>("--wait") { Description = "Wait until the run ends and print it as JSON (exit 1 unless it completed)." };
        var waitTimeout = new Option<string?>("--wait-timeout") { Description = "Give up waiting after this long (e.g. 10m); the run goes on." };
        command.Arguments.Add(target);
        foreach (var option in new Option[] { input, key, wait, waitTimeout })
        {
            command.Options.Add(option);
        }

        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var source = CommandContext.Source(settingsOptions, parseResult);
            using var connection = CommandContext.OpenDatabase(DatabaseSettings.Load(source));
            var name = parseResult.GetValue(target)!;
            if (File.Exists(name))
            {
                var (definition, version, warnings) = PipelineSubmission.Store(connection, ReadFile(name), LoadSchemas(source), CommandContext.Now());
                foreach (var warning in warnings)
                {
                    await Console.Error.WriteLineAsync($"warning: {warning}");
                }

                await Console.Error.WriteLineAsync($"{definition.Name} v{version}");
                name = definition.Name;
            }

            var (runId, created) = PipelineRuns.Start(connection, name, parseResult.GetValue(input), parseResult.GetValue(key), CommandContext.Now(), "mediaworker-cli");
            if (!created)
            {
                await Console.Error.WriteLineAsync($"An earlier run has idempotency key '{parseResult.GetValue(key)}'; returning it.");
            }

            if (!parseResult.GetValue(wait))
            {
                Console.WriteLine(runId);
                return ExitCodes.Ok;
            }

            var limit = parseResult.GetValue(waitTimeout) is { } w ? DurationParser.Parse(w, "--wait-timeout") : Timeout.InfiniteTimeSpan;
            var deadline = limit == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : DateTimeOffset.UtcNow + limit;
            while (true)
            {
                var run = Find(connection, runId);
                if (run.Run.CompletedAt is not null)
                {
                    Console.WriteLine(run.ToJson().ToJsonString(JobJson.Indented));
                    return run.Status == PipelineStatus.Completed ? ExitCodes.Ok : ExitCodes.Failure;
                }

                if (DateTimeOffset.UtcNow >= deadline)
                {
                    await Console.Error.WriteLineAsync($"Run {runId} has not finished within --wait-timeout; it goes on.");
                    Console.WriteLine(runId);
                    return ExitCodes.Failure;
                }

                await Task.Delay(WaitPoll, cancellationToken);
            }
        });
        return command;
    }

    private static Command Runs()
    {
        var command = new Command("runs", "List runs, newest first: id, pipeline, version, status, error.");
        var pipeline = new Option<string?>("--pipeline") { Description = "Only runs of this pipeline." };
        var status = new Option<string?>("--status") { Description = "Only runs with this status (queued, running, completed, failed, cancelled)." };
        var limit = new Option<int>("--limit") { Description = "At most this many.", DefaultValueFactory = _ => 50 };
        foreach (var option in new Option[] { pipeline, status, limit })
        {
            command.Options.Add(option);
        }

        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult =>
        {
            using var connection = CommandContext.OpenDatabase(CommandContext.LoadDatabaseSettings(settingsOptions, parseResult));
            foreach (var run in PipelineRuns.List(connection, parseResult.GetValue(pipeline), parseResult.GetValue(status), parseResult.GetValue(limit)))
            {
                Console.WriteLine($"{run.RunId}  {run.Pipeline} v{run.Version}  {run.Status}{(run.Error is null ? string.Empty : $"  {run.Error}")}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RunId(string name, string description, Func<DbConnection, string, int> action)
    {
        var command = new Command(name, description);
        var id = new Argument<string>("run_id") { Description = "The run's id (printed by 'pipeline run')." };
        command.Arguments.Add(id);
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult =>
        {
            using var connection = CommandContext.OpenDatabase(CommandContext.LoadDatabaseSettings(settingsOptions, parseResult));
            return action(connection, parseResult.GetValue(id)!);
        });
        return command;
    }

    private static PipelineRunView Find(DbConnection connection, string runId) =>
        PipelineRuns.Find(connection, runId) ?? throw new JobRequestException(JobRequestFailure.NotFound, $"No pipeline run '{runId}'.");

    private static DefinitionSource ReadFile(string path)
    {
        try
        {
            return new DefinitionSource(File.ReadAllText(path), DefinitionSource.FormatOfFile(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read the definition '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>The tasks of the plugins in PLUGIN_DIR, loaded as <c>run</c> loads them (as <c>submit</c>'s task check does).</summary>
    private static TaskSchemas LoadSchemas(SettingsSource source)
    {
        var pluginDirectory = WorkerSettings.ReadPluginDirectory(new SettingsReader(source));
        using var host = new PluginHost(pluginDirectory, source, NullLoggerFactory.Instance, Environment.ProcessorCount, new TaskCatalog());
        return PipelineSubmission.SchemasOf(host.LoadAll());
    }
}
