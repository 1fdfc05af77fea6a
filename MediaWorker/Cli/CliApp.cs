namespace MediaWorker.Cli;

/// <summary>The <c>mediaworker</c> command line (SPEC 8).</summary>
public static class CliApp
{
    public static Task<int> RunAsync(string[] args)
    {
        _ = args;
        Console.Error.WriteLine("mediaworker: the command line is being built.");
        return Task.FromResult(1);
    }
}
