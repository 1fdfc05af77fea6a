namespace MediaWorker.Cli;

/// <summary>SPEC 8 exit codes.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
