using System.CommandLine;
using MediaWorker.JobRequests;
using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker purge --older-than 7d</c>: delete finished jobs (and their job folders).</summary>
public static class PurgeCommand
{
    public static Command Create()
    {
        var command = new Command("purge", "Delete finished jobs (completed, failed, cancelled) that ended longer ago than --older-than, with their job folders.");
        var olderThan = new Option<string>("--older-than") { Description = "e.g. 7d, 12h, 30m.", Required = true };
        var status = new Option<string?>("--status") { Description = "Only this finished status." };
        status.AcceptOnlyFromAmong(JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled);
        var keepFiles = new Option<bool>("--keep-files") { Description = "Keep COMPUTE_STORAGE_DIR/jobs/<job_id> folders." };
        command.Options.Add(olderThan);
        command.Options.Add(status);
        command.Options.Add(keepFiles);
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult =>
        {
            var settings = CommandContext.LoadDatabaseSettings(settingsOptions, parseResult);
            var age = DurationParser.Parse(parseResult.GetValue(olderThan)!, "--older-than");
            using var connection = CommandContext.OpenDatabase(settings);
            var (purged, folders) = new JobActions(connection, settings.Store.Location, CommandContext.Now)
                .Purge(age, parseResult.GetValue(status), settings.ComputeStorageDirectory, parseResult.GetValue(keepFiles));
            Console.WriteLine($"purged {purged.Count} job(s), {folders} job folder(s)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
