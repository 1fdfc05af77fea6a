using System.Globalization;

namespace MediaWorker.Configuration;

/// <summary>How the worker announces itself and its jobs (SPEC 7).</summary>
public sealed record BroadcastSettings
{
    /// <summary>mqtt or noop.</summary>
    public string Type { get; init; } = "mqtt";
    public string Host { get; init; } = "localhost";
    public int Port { get; init; } = 1883;
    public bool UseTls { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string? CaFile { get; init; }
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(60);
    public string CapabilityTopicPrefix { get; init; } = "inference/workers";
    public string EventTopic { get; init; } = "inference/events";
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);
    public required string ClientId { get; init; }

    internal static BroadcastSettings Read(SettingsReader reader, string workerId)
    {
        var type = reader.Choice("BROADCAST_TYPE", "mqtt", "mqtt", "noop");
        var host = reader.Text("MQTT_BROKER", "localhost");
        var tls = false;
        var port = reader.WholeNumber("MQTT_PORT", 0, 1, 65535);
        var url = reader.Optional("MQTT_URL");
        if (url is not null)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == "mqtt" || uri.Scheme == "mqtts") && uri.Host.Length > 0)
            {
                host = uri.Host;
                tls = uri.Scheme == "mqtts";
                port = uri.IsDefaultPort || uri.Port <= 0 ? 0 : uri.Port;
            }
            else
            {
                reader.AddError($"MQTT_URL: '{url}' is not allowed; use mqtt://host[:port] or mqtts://host[:port].");
            }
        }

        if (port == 0)
        {
            port = tls ? 8883 : 1883;
        }

        var caFile = reader.Optional("MQTT_CA_FILE");
        if (caFile is not null && !File.Exists(caFile))
        {
            reader.AddError($"MQTT_CA_FILE: the file '{caFile}' does not exist.");
        }

        return new BroadcastSettings
        {
            Type = type,
            Host = host,
            Port = port,
            UseTls = tls || reader.Bool("MQTT_TLS", false),
            Username = reader.Optional("MQTT_USERNAME"),
            Password = reader.Optional("MQTT_PASSWORD"),
            CaFile = caFile,
            KeepAlive = TimeSpan.FromSeconds(reader.WholeNumber("MQTT_KEEPALIVE", 60, 5, 65535)),
            CapabilityTopicPrefix = reader.Text("CAPABILITY_TOPIC_PREFIX", "inference/workers").TrimEnd('/'),
            EventTopic = reader.Text("MQTT_TOPIC", "inference/events"),
            HeartbeatInterval = reader.Seconds("MQTT_HEARTBEAT_INTERVAL", TimeSpan.FromSeconds(30), 0.1, 86400),
            ClientId = string.Create(CultureInfo.InvariantCulture, $"mediaworker-{workerId}"),
        };
    }
}
