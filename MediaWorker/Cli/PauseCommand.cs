using System.CommandLine;
using Dapper;
using MediaWorker.JobRequests;

namespace MediaWorker.Cli;

/// <summary>
/// <c>mediaworker pause TASK</c> and <c>mediaworker resume TASK</c>: stop and restart claiming a task
/// type's queued jobs on every worker. Running jobs finish; submitting still works.
/// </summary>
public static class PauseCommand
{
    public static Command CreatePause()
    {
        var command = new Command("pause", "Pause a queue: no worker claims queued jobs of TASK until 'mediaworker resume TASK'. Running jobs finish; jobs can still be submitted.");
        var task = new Argument<string>("task_type") { Description = "The task type to pause." };
        var reason = new Option<string?>("--reason") { Description = "Why, shown by 'mediaworker plugins' and the API." };
        command.Arguments.Add(task);
        command.Options.Add(reason);
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult => WithQueues(settingsOptions, parseResult, (queues, connection) =>
        {
            var type = parseResult.GetValue(task)!.Trim();
            var paused = queues.Pause(type, "mediaworker-cli", parseResult.GetValue(reason));
            var queued = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE status = 'queued' AND task_type = @type", new { type });
            Console.WriteLine(paused
                ? $"{type} paused: its {queued} queued job(s) wait until 'mediaworker resume {type}'"
                : $"{type} was paused already ({queued} queued job(s) waiting)");
        }));
        return command;
    }

    public static Command CreateResume()
    {
        var command = new Command("resume", "Resume a paused queue: every worker claims its queued jobs again at once.");
        var task = new Argument<string>("task_type") { Description = "The task type to resume." };
        command.Arguments.Add(task);
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult => WithQueues(settingsOptions, parseResult, (queues, _) =>
        {
            var type = parseResult.GetValue(task)!.Trim();
            queues.Resume(type);
            Console.WriteLine($"{type} resumed");
        }));
        return command;
    }

    private static int WithQueues(SettingsOptions settingsOptions, ParseResult parseResult, Action<QueueActions, System.Data.Common.DbConnection> action)
    {
        var settings = CommandContext.LoadDatabaseSettings(settingsOptions, parseResult);
        using var connection = CommandContext.OpenDatabase(settings);
        action(new QueueActions(connection, CommandContext.Now), connection);
        return ExitCodes.Ok;
    }
}
