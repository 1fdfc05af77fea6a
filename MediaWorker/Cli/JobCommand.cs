using System.CommandLine;
using MediaWorker.JobRequests;
using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary>
/// <c>mediaworker job &lt;id&gt;</c>: one job's row as JSON. With <c>--follow</c>, a live progress line on
/// stderr until the job finishes, then the final row (exit 1 if it failed or was cancelled).
/// </summary>
public static class JobCommand
{
    public static Command Create()
    {
        var command = new Command("job", "Show one job's row as JSON; with --follow, show its progress live until it finishes, then its final row.");
        var jobId = new Argument<string>("job_id") { Description = "The job's uuid." };
        var follow = new Option<bool>("--follow") { Description = "Follow the job: a progress bar (plain lines when not a terminal) on stderr, then the final row as JSON." };
        var followTimeout = new Option<string?>("--follow-timeout") { Description = "Stop following after this long (e.g. 10m); the job keeps going." };
        command.Arguments.Add(jobId);
        command.Options.Add(follow);
        command.Options.Add(followTimeout);
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = CommandContext.LoadDatabaseSettings(settingsOptions, parseResult);
            var limit = parseResult.GetValue(followTimeout) is { } w ? DurationParser.Parse(w, "--follow-timeout") : Timeout.InfiniteTimeSpan;
            using var connection = CommandContext.OpenDatabase(settings);
            var id = parseResult.GetValue(jobId)!;
            var job = new JobActions(connection, settings.Store.Location, CommandContext.Now).Find(id);
            RowProblemsReport.Write([job], Console.Error);
            if (!parseResult.GetValue(follow))
            {
                Console.WriteLine(JobJson.Pretty(job));
                return ExitCodes.Ok;
            }

            var progress = ProgressLine.ForStandardError();
            var final = await JobFollower.FollowAsync(connection, settings.Store.DatabasePath, id, limit, progress.Show, cancellationToken);
            progress.Finish();
            if (final is null || !JobStatus.IsFinished(final.Status))
            {
                await Console.Error.WriteLineAsync($"Job {id} has not finished within --follow-timeout; it stays in the queue.");
                return ExitCodes.Failure;
            }

            Console.WriteLine(JobJson.Compact(final));
            return final.Status == JobStatus.Completed ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }
}
