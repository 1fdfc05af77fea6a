using System.Runtime.InteropServices;

namespace MediaWorker.Messaging.Mqtt.Native;

/// <summary>
/// The one place that turns libmosquitto's return codes into <see cref="MosquittoResult"/>s or
/// <see cref="MosquittoException"/>s with readable messages.
/// </summary>
internal static class MosquittoErrors
{
    /// <summary>A result for <paramref name="code"/>; <paramref name="errno"/> explains <c>MOSQ_ERR_ERRNO</c>.</summary>
    public static MosquittoResult ToResult(int code, int errno = 0) =>
        code == (int)MosquittoErrorCode.Success ? MosquittoResult.Success : new MosquittoResult((MosquittoErrorCode)code, Describe(code, errno));

    /// <summary>Throws when <paramref name="code"/> is not success, naming the operation.</summary>
    public static void ThrowIfFailed(int code, string operation)
    {
        if (code != (int)MosquittoErrorCode.Success)
        {
            throw new MosquittoException($"libmosquitto could not {operation}: {Describe(code, 0)}", (MosquittoErrorCode)code);
        }
    }

    /// <summary>Throws when <paramref name="result"/> is not success, naming the operation.</summary>
    public static void ThrowIfFailed(MosquittoResult result, string operation)
    {
        if (!result.IsSuccess)
        {
            throw new MosquittoException($"libmosquitto could not {operation}: {result.Message}", result.Code);
        }
    }

    /// <summary>
    /// The library's sentence for a <c>MOSQ_ERR_*</c> code. For <c>MOSQ_ERR_ERRNO</c> the system
    /// error is used instead (libmosquitto's own text reads errno later, when it may have changed).
    /// </summary>
    public static string Describe(int code, int errno)
    {
        if (code == (int)MosquittoErrorCode.Errno && errno != 0)
        {
            return Marshal.GetPInvokeErrorMessage(errno);
        }

        var text = StaticString(Libmosquitto.mosquitto_strerror(code));
        return string.IsNullOrEmpty(text) ? $"libmosquitto error {code}" : text.TrimEnd('.');
    }

    /// <summary>The broker's CONNACK refusal in words, e.g. "Connection Refused: not authorised".</summary>
    public static string DescribeConnack(int connackCode)
    {
        var text = StaticString(Libmosquitto.mosquitto_connack_string(connackCode));
        return string.IsNullOrEmpty(text) ? $"CONNACK code {connackCode}" : text.TrimEnd('.');
    }

    /// <summary>Copies a string the library owns (static storage): never freed here.</summary>
    private static string? StaticString(nint pointer) => pointer == 0 ? null : Marshal.PtrToStringUTF8(pointer);
}
