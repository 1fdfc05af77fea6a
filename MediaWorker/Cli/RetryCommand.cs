using System.CommandLine;
using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker retry &lt;id&gt;</c>: a failed or cancelled job goes back to the queue with fresh attempts.</summary>
public static class RetryCommand
{
    public static Command Create() => JobIdCommand.Create("retry", "Queue a failed or cancelled job again, with a fresh set of attempts.", (connection, settings, id) =>
    {
        if (JobAdministration.Retry(connection, id, CommandContext.Now()))
        {
            Console.WriteLine($"{id} queued again");
            return ExitCodes.Ok;
        }

        var job = JobAdministration.Find(connection, id) ?? throw JobIdCommand.NotFound(id, settings);
        throw new InvalidOperationException($"Job '{id}' is {job.Status}; only failed or cancelled jobs can be retried.");
    });
}
