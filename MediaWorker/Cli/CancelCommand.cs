using System.CommandLine;
using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker cancel &lt;id&gt;</c>: a queued job is cancelled at once; a running one is asked to stop.</summary>
public static class CancelCommand
{
    public static Command Create() => JobIdCommand.Create("cancel", "Cancel a job: a queued one at once, a running one within about a second.", (connection, settings, id) =>
    {
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
                throw JobIdCommand.NotFound(id, settings);
        }
    });
}
