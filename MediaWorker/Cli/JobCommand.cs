using System.CommandLine;
using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker job &lt;id&gt;</c>: one job's row as JSON.</summary>
public static class JobCommand
{
    public static Command Create() => JobIdCommand.Create("job", "Show one job's row as JSON.", (connection, settings, id) =>
    {
        var job = JobAdministration.Find(connection, id) ?? throw JobIdCommand.NotFound(id, settings);
        RowProblemsReport.Write([job], Console.Error);
        Console.WriteLine(JobJson.Pretty(job));
        return ExitCodes.Ok;
    });
}
