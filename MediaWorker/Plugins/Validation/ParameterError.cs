namespace MediaWorker.Plugins.Validation;

/// <summary>One way a job's parameters break its task's schema.</summary>
/// <param name="Path">Where, written like code: <c>params.size.width</c>, <c>params.frames[2]</c>.</param>
/// <param name="Problem">What is wrong and what is allowed, e.g. <c>must be an integer &gt;= 1 (got -5)</c>.</param>
public sealed record ParameterError(string Path, string Problem)
{
    /// <summary>The line shown to a person: <c>params.width: must be an integer &gt;= 1 (got -5)</c>.</summary>
    public override string ToString() => $"{Path}: {Problem}";
}
