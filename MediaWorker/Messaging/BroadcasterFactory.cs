using MediaWorker.Configuration;
using MediaWorker.Messaging.Mqtt;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Messaging;

/// <summary>Chooses the broadcaster from <c>BROADCAST_TYPE</c>.</summary>
public static class BroadcasterFactory
{
    /// <summary>
    /// <c>mqtt</c>: an <see cref="MqttBroadcaster"/> keeping its session counter under
    /// <paramref name="serverDirectory"/>; <c>noop</c>: a broadcaster that announces nothing.
    /// </summary>
    public static IWorkerBroadcaster Create(BroadcastSettings settings, string serverDirectory, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return string.Equals(settings.Type, "mqtt", StringComparison.OrdinalIgnoreCase)
            ? new MqttBroadcaster(settings, serverDirectory, loggerFactory)
            : new NoopBroadcaster();
    }
}
