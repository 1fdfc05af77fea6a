using System.CommandLine;
using MediaWorker.Configuration;
using MediaWorker.JobRequests;

namespace MediaWorker.Cli;

/// <summary>The shape of the commands that act on one job (<c>job</c>, <c>cancel</c>, <c>retry</c>): a job id and the database flags.</summary>
public static class JobIdCommand
{
    public static Command Create(string name, string description, Func<JobActions, DatabaseSettings, string, int> action)
    {
        var command = new Command(name, description);
        var jobId = new Argument<string>("job_id") { Description = "The job's uuid." };
        command.Arguments.Add(jobId);
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult =>
        {
            var settings = CommandContext.LoadDatabaseSettings(settingsOptions, parseResult);
            using var connection = CommandContext.OpenDatabase(settings);
            return action(new JobActions(connection, settings.Store.Location, CommandContext.Now), settings, parseResult.GetValue(jobId)!);
        });
        return command;
    }
}
