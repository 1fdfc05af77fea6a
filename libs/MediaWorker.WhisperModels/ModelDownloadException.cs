namespace MediaWorker.WhisperModels;

/// <summary>A pull that did not produce a usable model file; the message says why and what to do.</summary>
public sealed class ModelDownloadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelDownloadException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelDownloadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ModelDownloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
