namespace MediaWorker.Ffmpeg.Inputs;

/// <summary>An input was refused before ffmpeg ran: a URL that is not allowed, or an unsupported scheme.</summary>
public sealed class InputNotAllowedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InputNotAllowedException()
        : base("The input is not allowed.")
    {
    }

    /// <summary>Creates the exception with a message that names the input and the rule.</summary>
    public InputNotAllowedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public InputNotAllowedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
