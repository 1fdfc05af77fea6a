namespace MediaWorker.Configuration;

/// <summary>The MQTT protocol version the worker speaks (<c>MQTT_PROTOCOL_VERSION</c>).</summary>
public enum MqttProtocol
{
    /// <summary>MQTT 3.1.1, what every broker speaks and the seed worker used: the default.</summary>
    V311,

    /// <summary>MQTT 5.0: reason codes and reason strings on refusals, receive maximum.</summary>
    V5,
}
