using System.CommandLine;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker retry &lt;id&gt;</c>: a failed or cancelled job goes back to the queue with fresh attempts.</summary>
public static class RetryCommand
{
    public static Command Create() => JobIdCommand.Create("retry", "Queue a failed or cancelled job again, with a fresh set of attempts.", (jobs, _, id) =>
    {
        jobs.Retry(id);
        Console.WriteLine($"{id} queued again");
        return ExitCodes.Ok;
    });
}
