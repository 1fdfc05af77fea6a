namespace MediaWorker.Messaging.Mqtt.Native;

/// <summary>A libmosquitto call failed in a way the caller cannot retry (bad argument, missing library, TLS set-up).</summary>
public sealed class MosquittoException : Exception
{
    public MosquittoException()
        : this("libmosquitto reported an error.")
    {
    }

    public MosquittoException(string message)
        : base(message)
    {
    }

    public MosquittoException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal MosquittoException(string message, MosquittoErrorCode code)
        : base(message)
    {
        Code = code;
    }

    /// <summary>The <c>MOSQ_ERR_*</c> code, when the failure came from a libmosquitto call.</summary>
    internal MosquittoErrorCode? Code { get; }
}
