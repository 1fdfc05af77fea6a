namespace MediaWorker.Plugins.Image.Native;

/// <summary>An ImageMagick call failed; <see cref="Exception.Message"/> carries ImageMagick's reason.</summary>
internal sealed class MagickException : Exception
{
    public MagickException()
    {
    }

    public MagickException(string message)
        : base(message)
    {
    }

    public MagickException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MagickException(string operation, ExceptionType severity, string reason)
        : base($"{operation} failed: {reason}")
    {
        Operation = operation;
        Severity = severity;
        Reason = reason;
    }

    /// <summary>What the binding was doing, e.g. "Reading the image".</summary>
    public string Operation { get; } = string.Empty;

    /// <summary>ImageMagick's severity; <see cref="ExceptionType.UndefinedException"/> when it gave none.</summary>
    public ExceptionType Severity { get; }

    /// <summary>ImageMagick's reason, cleaned of source locations.</summary>
    public string Reason { get; } = string.Empty;

    /// <summary>The input is damaged: truncated, corrupt or not what its format says.</summary>
    public bool IsCorruptInput => Severity is ExceptionType.CorruptImageWarning or ExceptionType.CorruptImageError
        or ExceptionType.CoderError or ExceptionType.ImageError or ExceptionType.MissingDelegateError;

    /// <summary>A resource limit (memory, disk, width, height, area, frames) stopped ImageMagick.</summary>
    public bool IsResourceLimit => Severity == ExceptionType.ResourceLimitError || Reason.Contains("limit", StringComparison.OrdinalIgnoreCase)
        || Reason.Contains("resources exhausted", StringComparison.OrdinalIgnoreCase)
        || Reason.Contains("memory allocation failed", StringComparison.OrdinalIgnoreCase);
}
