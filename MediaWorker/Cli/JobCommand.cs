using System.CommandLine;
using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker job &lt;id&gt;</c>: one job's row as JSON.</summary>
public static class JobCommand
{
    public static Command Create()
    {
        var command = new Command("job", "Show one job's row as JSON.");
        var jobId = new Argument<string>("job_id") { Description = "The job's uuid." };
        command.Arguments.Add(jobId);
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult =>
        {
            var settings = CommandContext.LoadSettings(settingsOptions, parseResult);
            using var connection = CommandContext.OpenDatabase(settings);
            var id = parseResult.GetValue(jobId)!;
            var job = JobAdministration.Find(connection, id) ?? throw new InvalidOperationException($"No job '{id}' in {settings.Store.DatabasePath}.");
            Console.WriteLine(JobJson.Pretty(job));
            return ExitCodes.Ok;
        });
        return command;
    }
}
