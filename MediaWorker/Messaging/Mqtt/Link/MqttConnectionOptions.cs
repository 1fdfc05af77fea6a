using MediaWorker.Configuration;

namespace MediaWorker.Messaging.Mqtt.Link;

/// <summary>Where and how one <see cref="MqttConnection"/> connects.</summary>
internal sealed record MqttConnectionOptions
{
    public required string Host { get; init; }
    public required int Port { get; init; }
    public required string ClientId { get; init; }
    public bool UseTls { get; init; }
    public string? CaFile { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(60);
    public MqttProtocol Protocol { get; init; } = MqttProtocol.V311;

    /// <summary>How long one attempt may take from TCP connect to CONNACK.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The topic whose retained message the broker clears (empty will) when the link dies; none when null.</summary>
    public string? WillTopic { get; init; }

    /// <summary>A sentence the log lines about a broken link end with, with its leading space: " Jobs keep running."</summary>
    public string Consequence { get; init; } = string.Empty;

    public TimeSpan ReconnectDelayMin { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectDelayMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The broker's address for log lines: scheme, host and port, never the credentials.</summary>
    public string Endpoint => $"{(UseTls ? "mqtts" : "mqtt")}://{Host}:{Port}";

    public static MqttConnectionOptions From(BroadcastSettings settings, string clientId, string? willTopic)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new MqttConnectionOptions
        {
            Host = settings.Host,
            Port = settings.Port,
            ClientId = clientId,
            UseTls = settings.UseTls,
            CaFile = settings.CaFile,
            Username = settings.Username,
            Password = settings.Password,
            KeepAlive = settings.KeepAlive,
            Protocol = settings.Protocol,
            WillTopic = willTopic,
            ReconnectDelayMin = settings.ReconnectDelayMin,
            ReconnectDelayMax = settings.ReconnectDelayMax,
        };
    }

    /// <summary>Never prints the password (records print every property by default).</summary>
    public override string ToString() => $"{Endpoint} as {ClientId}{(Username is null ? string.Empty : $" (user '{Username}')")}";
}
