using System.CommandLine;
using MediaWorker.Configuration;

namespace MediaWorker.Cli;

/// <summary>The <c>mediaworker</c> command line (SPEC 8). Errors are one line; exit codes 0 ok, 1 failure, 2 usage.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("MediaWorker: a media-processing job worker on a SQLite queue, with plugins and MQTT presence.");
        foreach (var command in Commands())
        {
            root.Subcommands.Add(command);
        }

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            var command = parseResult.CommandResult.Command;
            var path = command == root ? "mediaworker" : $"mediaworker {command.Name}";
            await Console.Error.WriteLineAsync($"{path}: {Describe(parseResult, root)} (see '{path} --help')");
            return ExitCodes.Usage;
        }

        try
        {
            // Our daemon handles SIGINT/SIGTERM itself (drain, then exit), so the parser must not.
            return await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is SettingsException or UsageException)
        {
            await Console.Error.WriteLineAsync($"mediaworker: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"mediaworker: {OneLine(ex)}");
            return ExitCodes.Failure;
        }
    }

    private static IEnumerable<Command> Commands() =>
    [
        RunCommand.Create(),
        ServeCommand.Create(),
        SubmitCommand.Create(),
        JobsCommand.Create(),
        JobCommand.Create(),
        CancelCommand.Create(),
        RetryCommand.Create(),
        PurgeCommand.Create(),
        ScheduleCommand.Create(),
        PauseCommand.CreatePause(),
        PauseCommand.CreateResume(),
        PluginsCommand.Create(),
        WorkersCommand.Create(),
        BenchCommand.Create(),
        ModelsCommand.Create(),
        ComputeApiCommand.Create(),
        WebhooksCommand.Create(),
        PipelineCommand.Create(),
    ];

    /// <summary>
    /// The parser's first error, except for a word that is no command: the parser reports "Required
    /// command was not provided" first, which hides the word that was typed.
    /// </summary>
    private static string Describe(ParseResult parseResult, RootCommand root)
    {
        if (parseResult.CommandResult.Command == root && parseResult.UnmatchedTokens.Count > 0)
        {
            var token = parseResult.UnmatchedTokens[0];
            return token.StartsWith('-')
                ? $"unknown option '{token}'"
                : $"unknown command '{token}'; the commands are {string.Join(", ", root.Subcommands.Select(c => c.Name))}";
        }

        return parseResult.Errors[0].Message;
    }

    private static string OneLine(Exception ex)
    {
        var message = ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0].Message : ex.Message;
        return message.ReplaceLineEndings(" ");
    }
}
