using System.Runtime.InteropServices;

namespace MediaWorker.Messaging.Mqtt.Native;

/// <summary>
/// The libmosquitto 2.0 functions this binding uses, under their C names (mosquitto.h). Nothing
/// outside Native/ calls these: <see cref="MosquittoClient"/> wraps them and
/// <see cref="MosquittoErrors"/> turns their return codes into results or exceptions.
/// </summary>
/// <remarks>
/// Strings returned by <c>mosquitto_strerror</c> and friends are static and owned by the library:
/// they come back as <see cref="nint"/> and are copied, never freed. Callbacks are
/// <c>[UnmanagedCallersOnly]</c> static functions passed as raw function pointers.
/// </remarks>
internal static partial class Libmosquitto
{
    /// <summary>The soname of Debian's libmosquitto1 package.</summary>
    public const string LibraryName = "libmosquitto.so.1";

    [LibraryImport(LibraryName)]
    public static partial int mosquitto_lib_version(out int major, out int minor, out int revision);

    [LibraryImport(LibraryName)]
    public static partial int mosquitto_lib_init();

    [LibraryImport(LibraryName)]
    public static partial int mosquitto_lib_cleanup();

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial MosquittoHandle mosquitto_new(string id, [MarshalAs(UnmanagedType.U1)] bool cleanSession, nint userData);

    [LibraryImport(LibraryName)]
    public static partial void mosquitto_destroy(nint mosq);

    [LibraryImport(LibraryName)]
    public static partial int mosquitto_threaded_set(MosquittoHandle mosq, [MarshalAs(UnmanagedType.U1)] bool threaded);

    [LibraryImport(LibraryName)]
    public static partial int mosquitto_int_option(MosquittoHandle mosq, MosquittoOption option, int value);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_will_set(MosquittoHandle mosq, string topic, int payloadLength, nint payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_username_pw_set(MosquittoHandle mosq, string? username, string? password);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_tls_set(MosquittoHandle mosq, string? caFile, string? caPath, string? certFile, string? keyFile, nint passwordCallback);

    /// <summary>Blocking TCP (and TLS) connect, then sends CONNECT; the CONNACK arrives through the loop.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int mosquitto_connect(MosquittoHandle mosq, string host, int port, int keepalive);

    [LibraryImport(LibraryName)]
    public static partial int mosquitto_disconnect(MosquittoHandle mosq);

    /// <summary>One round of network work: waits up to <paramref name="timeoutMs"/> for the socket (or a publish from another thread), reads, writes, pings.</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int mosquitto_loop(MosquittoHandle mosq, int timeoutMs, int maxPackets);

    [LibraryImport(LibraryName)]
    public static partial int mosquitto_socket(MosquittoHandle mosq);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_publish(MosquittoHandle mosq, out int mid, string topic, int payloadLength, ReadOnlySpan<byte> payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_subscribe(MosquittoHandle mosq, out int mid, string subscription, int qos);

    /// <summary><c>void (*on_connect)(struct mosquitto *, void *obj, int rc)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial void mosquitto_connect_callback_set(MosquittoHandle mosq, nint onConnect);

    /// <summary><c>void (*on_disconnect)(struct mosquitto *, void *obj, int rc)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial void mosquitto_disconnect_callback_set(MosquittoHandle mosq, nint onDisconnect);

    /// <summary><c>void (*on_publish)(struct mosquitto *, void *obj, int mid)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial void mosquitto_publish_callback_set(MosquittoHandle mosq, nint onPublish);

    /// <summary><c>void (*on_message)(struct mosquitto *, void *obj, const struct mosquitto_message *)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial void mosquitto_message_callback_set(MosquittoHandle mosq, nint onMessage);

    /// <summary><c>void (*on_subscribe)(struct mosquitto *, void *obj, int mid, int qos_count, const int *granted_qos)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial void mosquitto_subscribe_callback_set(MosquittoHandle mosq, nint onSubscribe);

    /// <summary><c>void (*on_log)(struct mosquitto *, void *obj, int level, const char *str)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial void mosquitto_log_callback_set(MosquittoHandle mosq, nint onLog);

    [LibraryImport(LibraryName)]
    public static partial nint mosquitto_strerror(int errorCode);

    [LibraryImport(LibraryName)]
    public static partial nint mosquitto_connack_string(int connackCode);
}
