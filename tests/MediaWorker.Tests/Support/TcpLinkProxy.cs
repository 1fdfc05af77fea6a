using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MediaWorker.Tests.Support;

/// <summary>
/// A loopback TCP proxy between a client and the broker, so a test can cut the link: MQTTnet
/// hides its socket. <see cref="Cut"/> resets every open connection at once (no MQTT goodbye: to
/// the broker it looks like a crash or a pulled cable, so it publishes the will); new connections
/// are forwarded again, so the client can reconnect.
/// </summary>
internal sealed class TcpLinkProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private readonly Task _accepting;
    private long _forwardedBytes;

    private TcpLinkProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Bytes passed on from the client to the broker so far.</summary>
    public long ForwardedBytes => Interlocked.Read(ref _forwardedBytes);

    /// <summary>Connections accepted so far.</summary>
    public int Connections { get; private set; }

    public static TcpLinkProxy To(int targetPort) => new(targetPort);

    /// <summary>Resets every open connection (RST both ways) without a word.</summary>
    public void Cut()
    {
        foreach (var socket in _sockets.Keys)
        {
            Reset(socket);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0); // close with RST, as a dead peer
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task AcceptAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(stopping);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Connections++;
            _ = Task.Run(() => ForwardAsync(client, stopping), CancellationToken.None);
        }
    }

    private async Task ForwardAsync(Socket client, CancellationToken stopping)
    {
        var broker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        _sockets[client] = 0;
        _sockets[broker] = 0;
        try
        {
            await broker.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _targetPort), stopping);
            var up = PumpAsync(client, broker, count: true, stopping);
            var down = PumpAsync(broker, client, count: false, stopping);
            await Task.WhenAny(up, down);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            // One side ended: end the other at once, as a cable would.
            _sockets.TryRemove(client, out _);
            _sockets.TryRemove(broker, out _);
            Reset(client);
            Reset(broker);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool count, CancellationToken stopping)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, stopping);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stopping);
                if (count)
                {
                    Interlocked.Add(ref _forwardedBytes, read);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }
}
