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

    /// <summary>The MQTT protocol version spoken to the broker (<c>MQTT_PROTOCOL_VERSION</c>): 3.1.1 unless set to 5.</summary>
    public MqttProtocol Protocol { get; init; } = MqttProtocol.V311;
    public string CapabilityTopicPrefix { get; init; } = "inference/workers";
    public string EventTopic { get; init; } = "inference/events";
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First reconnect delay; it doubles per failed attempt up to <see cref="ReconnectDelayMax"/>.</summary>
    public TimeSpan ReconnectDelayMin { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectDelayMax { get; init; } = TimeSpan.FromSeconds(30);
    public required string ClientId { get; init; }

    /// <summary>The capability topic of one worker: <c>$CAPABILITY_TOPIC_PREFIX/$WORKER_ID</c>.</summary>
    public string CapabilityTopic(string workerId) => $"{CapabilityTopicPrefix}/{workerId}";

    /// <summary>Records print every property; this one must never print the password.</summary>
    public override string ToString() =>
        $"{Type} {(UseTls ? "mqtts" : "mqtt")}://{Host}:{Port} client '{ClientId}'{(Username is null ? string.Empty : $" user '{Username}'")}{(Password is null ? string.Empty : " password ***")}";

    internal static BroadcastSettings Read(SettingsReader reader, string workerId)
    {
        var type = reader.Choice("BROADCAST_TYPE", "mqtt", "mqtt", "noop");
        var host = reader.Text("MQTT_BROKER", "localhost");
        var tls = reader.Bool("MQTT_TLS", false);
        var port = reader.WholeNumber("MQTT_PORT", 0, 1, 65535);
        string? urlUser = null;
        string? urlPassword = null;
        var url = reader.Optional("MQTT_URL");
        if (url is not null)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == "mqtt" || uri.Scheme == "mqtts") && uri.Host.Length > 0
                && uri.AbsolutePath is "" or "/" && uri.Query.Length == 0)
            {
                host = uri.Host;
                tls = uri.Scheme == "mqtts";
                port = uri.IsDefaultPort || uri.Port <= 0 ? 0 : uri.Port;
                (urlUser, urlPassword) = SplitUserInfo(uri.UserInfo);
            }
            else
            {
                reader.AddError($"MQTT_URL: '{WithoutPassword(url)}' is not allowed; use mqtt://[user[:password]@]host[:port] or mqtts://... for TLS.");
            }
        }

        if (port == 0)
        {
            port = tls ? 8883 : 1883;
        }

        var caFile = reader.Optional("MQTT_CA_FILE");
        if (caFile is not null)
        {
            if (!File.Exists(caFile))
            {
                reader.AddError($"MQTT_CA_FILE: the file '{caFile}' does not exist.");
            }
            else if (!tls)
            {
                reader.AddError($"MQTT_CA_FILE: '{caFile}' is set but TLS is off; use an mqtts:// MQTT_URL or MQTT_TLS=true.");
            }
        }

        var prefix = reader.Text("CAPABILITY_TOPIC_PREFIX", "inference/workers").TrimEnd('/');
        CheckTopic(reader, "CAPABILITY_TOPIC_PREFIX", prefix);
        var eventTopic = reader.Text("MQTT_TOPIC", "inference/events");
        CheckTopic(reader, "MQTT_TOPIC", eventTopic);

        var reconnectMin = reader.Seconds("MQTT_RECONNECT_MIN", TimeSpan.FromSeconds(1), 0.05, 3600);
        var reconnectMax = reader.Seconds("MQTT_RECONNECT_MAX", TimeSpan.FromSeconds(30), 0.05, 3600);
        if (reconnectMax < reconnectMin)
        {
            reader.AddError($"MQTT_RECONNECT_MAX: {reconnectMax.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s is shorter than MQTT_RECONNECT_MIN ({reconnectMin.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s); the cap must be at least the first delay.");
        }

        return new BroadcastSettings
        {
            Type = type,
            Host = host,
            Port = port,
            UseTls = tls,
            Username = reader.Optional("MQTT_USERNAME") ?? urlUser,
            Password = reader.Optional("MQTT_PASSWORD") ?? urlPassword,
            CaFile = caFile,
            KeepAlive = TimeSpan.FromSeconds(reader.WholeNumber("MQTT_KEEPALIVE", 60, 5, 65535)),
            Protocol = reader.Choice("MQTT_PROTOCOL_VERSION", "3.1.1", "3.1.1", "5") == "5" ? MqttProtocol.V5 : MqttProtocol.V311,
            CapabilityTopicPrefix = prefix,
            EventTopic = eventTopic,
            HeartbeatInterval = reader.Seconds("MQTT_HEARTBEAT_INTERVAL", TimeSpan.FromSeconds(30), 0.1, 86400),
            ReconnectDelayMin = reconnectMin,
            ReconnectDelayMax = reconnectMax,
            ClientId = string.Create(CultureInfo.InvariantCulture, $"mediaworker-{workerId}"),
        };
    }

    private static void CheckTopic(SettingsReader reader, string name, string topic)
    {
        if (topic.Length == 0 || topic.Contains('+', StringComparison.Ordinal) || topic.Contains('#', StringComparison.Ordinal) || topic.Contains('\0', StringComparison.Ordinal))
        {
            reader.AddError($"{name}: '{topic}' is not allowed; use a non-empty MQTT topic without the wildcards '+' and '#'.");
        }
    }

    private static (string? User, string? Password) SplitUserInfo(string userInfo)
    {
        if (userInfo.Length == 0)
        {
            return (null, null);
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (Uri.UnescapeDataString(userInfo), null)
            : (Uri.UnescapeDataString(userInfo[..colon]), Uri.UnescapeDataString(userInfo[(colon + 1)..]));
    }

    /// <summary>An MQTT_URL for an error message: any password in it replaced by ***.</summary>
    private static string WithoutPassword(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.LastIndexOf('@');
        if (scheme < 0 || at < scheme)
        {
            return url;
        }

        var userInfo = url[(scheme + 3)..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? url : string.Concat(url.AsSpan(0, scheme + 3 + colon + 1), "***", url.AsSpan(at));
    }
}
