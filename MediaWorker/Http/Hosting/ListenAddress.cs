using System.Globalization;
using System.Net;

namespace MediaWorker.Http.Hosting;

/// <summary>
/// A <c>host:port</c> to listen on (<c>127.0.0.1:8780</c>, <c>[::1]:8780</c>, <c>0.0.0.0:8780</c>,
/// <c>localhost:8780</c>). Port 0 asks the system for a free port.
/// </summary>
public sealed record ListenAddress(string Host, int Port)
{
    /// <summary>Only this machine can connect: 127.0.0.0/8, ::1 or <c>localhost</c>.</summary>
    public bool IsLoopback => string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Host, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The address for a URL: IPv6 in brackets.</summary>
    public string UrlHost => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;

    public override string ToString() => $"{UrlHost}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses <paramref name="text"/>; returns null with a reason when it is not a host:port.</summary>
    public static ListenAddress? TryParse(string text, out string? error)
    {
        error = null;
        var trimmed = text.Trim();
        string host;
        string portText;
        if (trimmed.StartsWith('['))
        {
            var close = trimmed.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= trimmed.Length || trimmed[close + 1] != ':')
            {
                error = "an IPv6 address is written [address]:port";
                return null;
            }

            host = trimmed[1..close];
            portText = trimmed[(close + 2)..];
        }
        else
        {
            var colon = trimmed.LastIndexOf(':');
            if (colon <= 0 || trimmed.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                error = "write it as host:port";
                return null;
            }

            host = trimmed[..colon];
            portText = trimmed[(colon + 1)..];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"'{portText}' is not a port from 0 to 65535";
            return null;
        }

        if (!string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(host, out _))
        {
            error = $"'{host}' is not an IP address (or localhost); give the address of one of this machine's interfaces, or 0.0.0.0 for all";
            return null;
        }

        return new ListenAddress(host, port);
    }
}
