namespace MediaWorker.Pipelines.Expressions;

/// <summary>An expression that does not parse or cannot be evaluated; the message names the position and the problem.</summary>
public sealed class ExpressionException : Exception
{
    public ExpressionException()
    {
    }

    public ExpressionException(string message)
        : base(message)
    {
    }

    public ExpressionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A template read the output of a step that was skipped: the step that uses it is skipped too,
/// instead of running with a hole in its parameters.
/// </summary>
public sealed class SkippedStepReferenceException : Exception
{
    public SkippedStepReferenceException()
    {
    }

    public SkippedStepReferenceException(string message)
        : base(message)
    {
    }

    public SkippedStepReferenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The skipped step whose output was read.</summary>
    public string Step { get; init; } = "";
}
