using System.CommandLine;
using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker cancel &lt;id&gt;</c>: a queued job is cancelled at once; a running one is asked to stop.</summary>
public static class CancelCommand
{
    public static Command Create() => JobIdCommand.Create("cancel", "Cancel a job: a queued one at once, a running one within about a second.", (jobs, _, id) =>
    {
        Console.WriteLine(jobs.Cancel(id) == CancelResult.Cancelled ? $"{id} cancelled" : $"{id} is running; its worker was asked to stop it");
        return ExitCodes.Ok;
    });
}
