using System.Globalization;
using Microsoft.Extensions.Logging;
using MQTTnet.Diagnostics.Logger;

namespace MediaWorker.Messaging.Mqtt.Link;

/// <summary>
/// MQTTnet's own log (packets, keepalives, its view of errors) at Trace level (<c>LOG_LEVEL=verbose</c>):
/// what matters to an operator is logged once, in our words, by <see cref="ConnectionStateLog"/>.
/// </summary>
internal sealed class MqttNetLogBridge(ILogger logger) : IMqttNetLogger
{
    public bool IsEnabled => logger.IsEnabled(LogLevel.Trace);

    public void Publish(MqttNetLogLevel level, string source, string message, object[] parameters, Exception exception)
    {
        if (!IsEnabled)
        {
            return;
        }

        var text = parameters is { Length: > 0 } ? string.Format(CultureInfo.InvariantCulture, message, parameters) : message;
        logger.LogTrace("MQTTnet {Source} {Level}: {Message}{Exception}", source, level, text, exception is null ? string.Empty : $" ({exception.GetType().Name}: {exception.Message})");
    }
}
