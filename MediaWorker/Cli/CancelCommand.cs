using System.CommandLine;
using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker cancel &lt;id&gt;</c>: a queued job is cancelled at once; a running one is asked to stop.</summary>
public static class CancelCommand
{
    public static Command Create()
    {
        var command = new Command("cancel", "Cancel a job: a queued one at once, a running one within about a second.");
        var jobId = new Argument<string>("job_id") { Description = "The job's uuid." };
        command.Arguments.Add(jobId);
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult =>
        {
            var settings = CommandContext.LoadSettings(settingsOptions, parseResult);
            using var connection = CommandContext.OpenDatabase(settings);
            var id = parseResult.GetValue(jobId)!;
            switch (JobAdministration.Cancel(connection, id, CommandContext.Now()))
            {
                case CancelResult.Cancelled:
                    Console.WriteLine($"{id} cancelled");
                    return ExitCodes.Ok;
                case CancelResult.Requested:
                    Console.WriteLine($"{id} is running; its worker was asked to stop it");
                    return ExitCodes.Ok;
                case CancelResult.AlreadyFinished:
                    var status = JobAdministration.Find(connection, id)?.Status;
                    throw new InvalidOperationException($"Job '{id}' has already finished ({status}); nothing to cancel.");
                default:
                    throw new InvalidOperationException($"No job '{id}' in {settings.Store.DatabasePath}.");
            }
        });
        return command;
    }
}
