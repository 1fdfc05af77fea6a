namespace MediaWorker.Plugins.Speech.Native;

/// <summary>A whisper.cpp call failed; the message says which call and what whisper.cpp logged.</summary>
internal sealed class WhisperException : Exception
{
    public WhisperException()
    {
    }

    public WhisperException(string message)
        : base(message)
    {
    }

    public WhisperException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The call's return code, when it returns one (whisper_full: -2 to -8).</summary>
    public int? ResultCode { get; init; }
}
