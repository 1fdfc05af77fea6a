namespace MediaWorker.Cli;

/// <summary>The command line asked for something invalid: exit code 2 with this one-line message.</summary>
public sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
