namespace MediaWorker.Pipelines.Validation;

/// <summary>What the validator found. Errors stop the definition from being stored or run; warnings do not.</summary>
/// <param name="Errors">One line each, naming the step and the field.</param>
/// <param name="Warnings">Things that will not stop a run but may surprise (an optional step's task that nothing here offers).</param>
public sealed record ValidationReport(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>A definition that failed validation; the message lists every error.</summary>
public sealed class PipelineValidationException : Exception
{
    public PipelineValidationException()
    {
    }

    public PipelineValidationException(string message)
        : base(message)
    {
    }

    public PipelineValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PipelineValidationException(string pipeline, IReadOnlyList<string> errors)
        : base($"The pipeline definition{(pipeline.Length > 0 ? $" '{pipeline}'" : string.Empty)} is not valid: {string.Join("; ", errors)}") => Errors = errors;

    public IReadOnlyList<string> Errors { get; } = [];
}
