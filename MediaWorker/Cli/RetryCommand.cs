using System.CommandLine;
using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker retry &lt;id&gt;</c>: a failed or cancelled job goes back to the queue with fresh attempts.</summary>
public static class RetryCommand
{
    public static Command Create()
    {
        var command = new Command("retry", "Queue a failed or cancelled job again, with a fresh set of attempts.");
        var jobId = new Argument<string>("job_id") { Description = "The job's uuid." };
        command.Arguments.Add(jobId);
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult =>
        {
            var settings = CommandContext.LoadSettings(settingsOptions, parseResult);
            using var connection = CommandContext.OpenDatabase(settings);
            var id = parseResult.GetValue(jobId)!;
            if (JobAdministration.Retry(connection, id, CommandContext.Now()))
            {
                Console.WriteLine($"{id} queued again");
                return ExitCodes.Ok;
            }

            var job = JobAdministration.Find(connection, id);
            throw new InvalidOperationException(job is null
                ? $"No job '{id}' in {settings.Store.DatabasePath}."
                : $"Job '{id}' is {job.Status}; only failed or cancelled jobs can be retried.");
        });
        return command;
    }
}
