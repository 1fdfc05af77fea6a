namespace MediaWorker.Messaging.Mqtt.Link;

/// <summary>What became of one QoS 1 publish.</summary>
internal enum PublishOutcome
{
    /// <summary>The broker sent its PUBACK: the message is the broker's now.</summary>
    Acknowledged,

    /// <summary>Not connected, the link dropped before the PUBACK, or cancelled: send it again on the next connection.</summary>
    NotSent,

    /// <summary>The broker answered with an error reason code (MQTT 5): sending it again would not help.</summary>
    Refused,
}
