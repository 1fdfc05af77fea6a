using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MediaWorker.Messaging.Mqtt.Native;

/// <summary>A message delivered to a subscription, copied out of the library's buffers.</summary>
internal sealed record ReceivedMessage(string Topic, byte[] Payload, int Qos, bool Retained);

/// <summary>
/// The thin managed face of one <c>struct mosquitto</c>: configuration, connect, one loop round,
/// publish and subscribe, and the library's callbacks as plain delegates. It knows nothing about
/// reconnecting or threads; <see cref="MqttConnection"/> drives it from one dedicated thread.
/// </summary>
/// <remarks>
/// Threaded mode is switched on, so <see cref="Publish"/> and <see cref="Subscribe"/> may be called
/// from any thread while the loop thread is inside <see cref="Loop"/>: the library queues the packet
/// and wakes the loop through its internal socket pair. The callbacks run on the loop thread.
/// </remarks>
internal sealed unsafe class MosquittoClient : IDisposable
{
    private readonly MosquittoHandle _handle;

    public MosquittoClient(string clientId)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        MosquittoLibrary.Acquire();

        // A weak handle: a client nobody disposed can still be collected (its SafeHandle's finalizer
        // destroys the native side); the callbacks then find no target and do nothing.
        var state = GCHandle.Alloc(this, GCHandleType.Weak);
        _handle = Libmosquitto.mosquitto_new(clientId, cleanSession: true, GCHandle.ToIntPtr(state));
        if (_handle.IsInvalid)
        {
            var errno = Marshal.GetLastPInvokeError();
            state.Free();
            _handle.SetHandleAsInvalid();
            MosquittoLibrary.Release();
            throw new MosquittoException($"libmosquitto could not create the client '{clientId}': {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        _handle.AttachCallbackState(state);
        try
        {
            MosquittoErrors.ThrowIfFailed(Libmosquitto.mosquitto_threaded_set(_handle, true), "switch on threaded mode");
            MosquittoErrors.ThrowIfFailed(Libmosquitto.mosquitto_int_option(_handle, MosquittoOption.ProtocolVersion, MqttProtocolVersion.V311), "select MQTT 3.1.1");
            MosquittoErrors.ThrowIfFailed(Libmosquitto.mosquitto_int_option(_handle, MosquittoOption.TcpNoDelay, 1), "set TCP_NODELAY");
        }
        catch
        {
            _handle.Dispose();
            throw;
        }

        Libmosquitto.mosquitto_connect_callback_set(_handle, (nint)(delegate* unmanaged[Cdecl]<nint, nint, int, void>)&OnConnect);
        Libmosquitto.mosquitto_disconnect_callback_set(_handle, (nint)(delegate* unmanaged[Cdecl]<nint, nint, int, void>)&OnDisconnect);
        Libmosquitto.mosquitto_publish_callback_set(_handle, (nint)(delegate* unmanaged[Cdecl]<nint, nint, int, void>)&OnPublish);
        Libmosquitto.mosquitto_message_callback_set(_handle, (nint)(delegate* unmanaged[Cdecl]<nint, nint, MosquittoMessage*, void>)&OnMessage);
        Libmosquitto.mosquitto_subscribe_callback_set(_handle, (nint)(delegate* unmanaged[Cdecl]<nint, nint, int, int, int*, void>)&OnSubscribe);
        Libmosquitto.mosquitto_log_callback_set(_handle, (nint)(delegate* unmanaged[Cdecl]<nint, nint, int, byte*, void>)&OnLog);
    }

    /// <summary>CONNACK received: 0 is accepted, anything else is the broker's refusal code.</summary>
    public Action<int>? ConnackReceived { get; set; }

    /// <summary>The link closed: 0 after our own DISCONNECT, otherwise a <c>MOSQ_ERR_*</c> code.</summary>
    public Action<int>? Disconnected { get; set; }

    /// <summary>A QoS 1 message was acknowledged by the broker (PUBACK), by message id.</summary>
    public Action<int>? PublishAcknowledged { get; set; }

    public Action<ReceivedMessage>? MessageReceived { get; set; }

    /// <summary>SUBACK received, by message id.</summary>
    public Action<int>? SubscribeAcknowledged { get; set; }

    public Action<MosquittoLogLevel, string>? LogReceived { get; set; }

    /// <summary>A delegate above threw; the exception cannot cross back into C, so it is handed here.</summary>
    public Action<Exception>? CallbackFailed { get; set; }

    /// <summary>Registers the last will. libmosquitto sends it in CONNECT, so it must precede the first connect.</summary>
    public void SetWill(string topic, ReadOnlySpan<byte> payload, int qos, bool retain)
    {
        fixed (byte* bytes = payload)
        {
            MosquittoErrors.ThrowIfFailed(Libmosquitto.mosquitto_will_set(_handle, topic, payload.Length, (nint)bytes, qos, retain), $"set the last will on '{topic}'");
        }
    }

    public void SetCredentials(string? username, string? password) =>
        MosquittoErrors.ThrowIfFailed(Libmosquitto.mosquitto_username_pw_set(_handle, username, password), "set the username and password");

    /// <summary>Switches TLS on, trusting <paramref name="caFile"/> or, without one, the system's CA certificates.</summary>
    public void UseTls(string? caFile)
    {
        if (caFile is null)
        {
            MosquittoErrors.ThrowIfFailed(Libmosquitto.mosquitto_int_option(_handle, MosquittoOption.TlsUseOsCerts, 1), "use the system CA certificates for TLS");
            return;
        }

        var code = Libmosquitto.mosquitto_tls_set(_handle, caFile, null, null, null, 0);
        if (code != (int)MosquittoErrorCode.Success)
        {
            throw new MosquittoException($"MQTT_CA_FILE: libmosquitto cannot use '{caFile}' as the CA certificate: {MosquittoErrors.Describe(code, 0)} (it must be a readable PEM file).", (MosquittoErrorCode)code);
        }
    }

    /// <summary>Blocking TCP (and TLS) connect and CONNECT; the broker's answer arrives through <see cref="Loop"/>.</summary>
    public MosquittoResult Connect(string host, int port, int keepAliveSeconds)
    {
        var code = Libmosquitto.mosquitto_connect(_handle, host, port, keepAliveSeconds);
        return MosquittoErrors.ToResult(code, Marshal.GetLastPInvokeError());
    }

    /// <summary>One round of network work, waiting at most <paramref name="timeoutMs"/>.</summary>
    public MosquittoResult Loop(int timeoutMs)
    {
        var code = Libmosquitto.mosquitto_loop(_handle, timeoutMs, 1);
        return MosquittoErrors.ToResult(code, Marshal.GetLastPInvokeError());
    }

    /// <summary>Queues DISCONNECT; the loop sends it and closes the socket (the broker then drops the will).</summary>
    public MosquittoResult Disconnect() => MosquittoErrors.ToResult(Libmosquitto.mosquitto_disconnect(_handle));

    public MosquittoResult Publish(string topic, ReadOnlySpan<byte> payload, int qos, bool retain, out int messageId) =>
        MosquittoErrors.ToResult(Libmosquitto.mosquitto_publish(_handle, out messageId, topic, payload.Length, payload, qos, retain));

    public MosquittoResult Subscribe(string filter, int qos, out int messageId) =>
        MosquittoErrors.ToResult(Libmosquitto.mosquitto_subscribe(_handle, out messageId, filter, qos));

    /// <summary>The socket's file descriptor, or -1 when not connected.</summary>
    public int SocketDescriptor => Libmosquitto.mosquitto_socket(_handle);

    public void Dispose() => _handle.Dispose();

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnConnect(nint mosq, nint state, int code) => Dispatch(state, static (c, code) => c.ConnackReceived?.Invoke(code), code);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnDisconnect(nint mosq, nint state, int code) => Dispatch(state, static (c, code) => c.Disconnected?.Invoke(code), code);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnPublish(nint mosq, nint state, int messageId) => Dispatch(state, static (c, mid) => c.PublishAcknowledged?.Invoke(mid), messageId);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnSubscribe(nint mosq, nint state, int messageId, int qosCount, int* grantedQos) =>
        Dispatch(state, static (c, mid) => c.SubscribeAcknowledged?.Invoke(mid), messageId);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnMessage(nint mosq, nint state, MosquittoMessage* message)
    {
        // The struct and its buffers belong to the library and are freed when this callback returns: copy them.
        var copy = new ReceivedMessage(
            Marshal.PtrToStringUTF8(message->Topic) ?? string.Empty,
            new ReadOnlySpan<byte>((void*)message->Payload, message->PayloadLength).ToArray(),
            message->Qos,
            message->Retain != 0);
        Dispatch(state, static (c, m) => c.MessageReceived?.Invoke(m), copy);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(nint mosq, nint state, int level, byte* text)
    {
        var line = Marshal.PtrToStringUTF8((nint)text) ?? string.Empty;
        Dispatch(state, static (c, entry) => c.LogReceived?.Invoke(entry.Level, entry.Line), (Level: (MosquittoLogLevel)level, Line: line));
    }

    private static void Dispatch<T>(nint state, Action<MosquittoClient, T> action, T argument)
    {
        if (state == 0 || GCHandle.FromIntPtr(state).Target is not MosquittoClient client)
        {
            return;
        }

        try
        {
            action(client, argument);
        }
        catch (Exception ex)
        {
            try
            {
                client.CallbackFailed?.Invoke(ex);
            }
            catch (Exception)
            {
                // Nothing may unwind into libmosquitto's C frames.
            }
        }
    }
}
