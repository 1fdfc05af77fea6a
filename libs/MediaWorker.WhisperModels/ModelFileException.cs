namespace MediaWorker.WhisperModels;

/// <summary>A model file that whisper.cpp must not be given: missing, unreadable, of another kind, cut short or inconsistent.</summary>
public sealed class ModelFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelFileException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ModelFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
