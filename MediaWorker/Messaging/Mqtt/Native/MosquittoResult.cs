namespace MediaWorker.Messaging.Mqtt.Native;

/// <summary>
/// The outcome of a libmosquitto call that can fail in normal operation (connect, loop, publish
/// while the link drops): a code and a sentence a person can act on.
/// </summary>
internal readonly record struct MosquittoResult(MosquittoErrorCode Code, string Message)
{
    public static MosquittoResult Success { get; } = new(MosquittoErrorCode.Success, "success");

    public bool IsSuccess => Code == MosquittoErrorCode.Success;
}
