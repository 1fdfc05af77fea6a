namespace MediaWorker.Messaging.Mqtt.Native;

/// <summary>The <c>enum mosq_opt_t</c> values this binding sets (checked against mosquitto.h by a test).</summary>
internal enum MosquittoOption
{
    ProtocolVersion = 1,
    TcpNoDelay = 11,
    TlsUseOsCerts = 13,
}

/// <summary>The <c>MQTT_PROTOCOL_*</c> values accepted by <see cref="MosquittoOption.ProtocolVersion"/>.</summary>
internal static class MqttProtocolVersion
{
    public const int V311 = 4;
}
