using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Packets;

namespace MediaWorker.Messaging.Mqtt.Link;

/// <summary>
/// The keep-alive on a timer of our own. MQTTnet 5.2 sends PINGREQs from a loop that wakes every
/// 250 ms for as long as a connection lasts (<c>MqttClient.TrySendKeepAliveMessages</c>:
/// <c>Task.Delay(250)</c> whatever the keep-alive), four thread-pool wake-ups a second that made an
/// idle worker with MQTT on cost about a quarter more CPU than the libmosquitto build. That loop
/// runs only when the client's keep-alive (and the broker's Server Keep Alive) is zero, so the
/// client is given none, and this channel, between MQTTnet and the socket, writes MQTT_KEEPALIVE
/// into the CONNECT on its way out and takes a Server Keep Alive out of the CONNACK on its way
/// in. <see cref="PingUntilDeadAsync"/> then sleeps until a PINGREQ is due. The broker sees the
/// keep-alive it always saw, so the will still fires within 1.5 × MQTT_KEEPALIVE of a link that
/// died silently.
/// </summary>
internal sealed class KeepAliveChannel(IMqttChannelAdapter inner, TimeSpan keepAlive) : IMqttChannelAdapter
{
    private long _lastSent = Stopwatch.GetTimestamp();
    private long _intervalTicks = keepAlive.Ticks;

    /// <summary>The keep-alive in force: MQTT_KEEPALIVE, or the broker's Server Keep Alive (MQTT 5) when it sent one.</summary>
    public TimeSpan Interval => TimeSpan.FromTicks(Interlocked.Read(ref _intervalTicks));

    /// <summary>How long nothing was sent: the broker counts the keep-alive from our last packet.</summary>
    public TimeSpan SinceLastSent => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastSent));

    public long BytesReceived => inner.BytesReceived;

    public long BytesSent => inner.BytesSent;

    public X509Certificate2 ClientCertificate => inner.ClientCertificate;

    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public bool IsSecureConnection => inner.IsSecureConnection;

    public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;

    /// <summary>
    /// Sends PINGREQ whenever nothing was sent for three quarters of the keep-alive, until
    /// cancelled; returns why the link is dead when no PINGRESP came within half the keep-alive.
    /// </summary>
    public static async Task<string> PingUntilDeadAsync(IMqttClient client, KeepAliveChannel channel, CancellationToken cancellationToken)
    {
        while (true)
        {
            var interval = channel.Interval;
            if (interval <= TimeSpan.Zero)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            var due = (interval * 0.75) - channel.SinceLastSent;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
                continue;
            }

            using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            answer.CancelAfter(interval / 2);
            try
            {
                await client.PingAsync(answer.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return $"no PINGRESP within {(interval / 2).TotalSeconds:0.#} s (MQTT_KEEPALIVE {interval.TotalSeconds:0} s)";
            }
            catch (Exception ex) when (ex is MqttCommunicationException or InvalidOperationException or ObjectDisposedException)
            {
                return $"PINGREQ failed: {ex.Message}";
            }
        }
    }

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
    {
        var packet = await inner.ReceivePacketAsync(cancellationToken);
        if (packet is MqttConnAckPacket { ServerKeepAlive: > 0 } connAck)
        {
            // MQTT 5: the broker's value replaces ours; MQTTnet must not see it, or its loop starts.
            Interlocked.Exchange(ref _intervalTicks, TimeSpan.FromSeconds(connAck.ServerKeepAlive).Ticks);
            connAck.ServerKeepAlive = 0;
        }

        return packet;
    }

    public void ResetStatistics() => inner.ResetStatistics();

    public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        if (packet is MqttConnectPacket connect)
        {
            connect.KeepAlivePeriod = (ushort)Math.Clamp(keepAlive.TotalSeconds, 0, ushort.MaxValue);
        }

        Interlocked.Exchange(ref _lastSent, Stopwatch.GetTimestamp());
        return inner.SendPacketAsync(packet, cancellationToken);
    }

    public void Dispose() => inner.Dispose();
}

/// <summary>Gives each MQTTnet client of one connection attempt a <see cref="KeepAliveChannel"/> over MQTTnet's own TCP/TLS channel.</summary>
internal sealed class KeepAliveChannelFactory(TimeSpan keepAlive) : IMqttClientAdapterFactory
{
    private readonly MqttClientAdapterFactory _inner = new();

    /// <summary>The channel of the last connect (one client connects once).</summary>
    public KeepAliveChannel? Current { get; private set; }

    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        var channel = new KeepAliveChannel(_inner.CreateClientAdapter(options, packetInspector, logger), keepAlive);
        Current = channel;
        return channel;
    }
}
