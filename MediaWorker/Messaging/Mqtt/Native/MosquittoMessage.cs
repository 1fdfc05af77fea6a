using System.Runtime.InteropServices;

namespace MediaWorker.Messaging.Mqtt.Native;

/// <summary>
/// <c>struct mosquitto_message</c>. Only ever read through a pointer the library owns for the
/// duration of the message callback; the layout is checked against mosquitto.h by a test.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MosquittoMessage
{
    public int Mid;
    public nint Topic;
    public nint Payload;
    public int PayloadLength;
    public int Qos;

    /// <summary>C <c>bool</c>: one byte.</summary>
    public byte Retain;
}
