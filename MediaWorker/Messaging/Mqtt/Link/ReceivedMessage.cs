namespace MediaWorker.Messaging.Mqtt.Link;

/// <summary>One message delivered on a subscription: an empty payload clears a retained message.</summary>
internal sealed record ReceivedMessage(string Topic, byte[] Payload, bool Retained);
