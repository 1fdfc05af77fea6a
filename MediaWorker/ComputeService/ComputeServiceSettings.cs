using System.Globalization;
using System.Net;
using MediaWorker.Configuration;

namespace MediaWorker.ComputeService;

/// <summary>
/// The settings of the seed-compatible compute API (docs/compute-service.md). It is off unless
/// <c>COMPUTE_API_LISTEN</c> names an address.
/// </summary>
public sealed record ComputeServiceSettings
{
    public const int DefaultUploadLimitMegabytes = 2048;

    /// <summary>The address to listen on (<c>COMPUTE_API_LISTEN</c>, host:port); null when the API is off.</summary>
    public IPEndPoint? Listen { get; init; }

    /// <summary>The largest upload accepted, in bytes (<c>COMPUTE_UPLOAD_MAX_MB</c>).</summary>
    public long UploadLimitBytes { get; init; } = DefaultUploadLimitMegabytes * 1024L * 1024;

    /// <summary>The ES256 public key tokens are checked against (<c>COMPUTE_AUTH_PUBLIC_KEY</c>, default $CL_SERVER_DIR/keys/public_key.pem).</summary>
    public required string PublicKeyPath { get; init; }

    /// <summary>Guest mode (no authentication) until an admin changes it (<c>COMPUTE_GUEST_MODE</c>).</summary>
    public bool GuestModeDefault { get; init; } = true;

    /// <summary>Where an admin's guest-mode choice is kept across restarts.</summary>
    public required string ConfigFilePath { get; init; }

    public required string ComputeStorageDirectory { get; init; }

    public required StoreSettings Store { get; init; }

    public required BroadcastSettings Broadcast { get; init; }

    /// <summary>The MQTT presence id of the API's own connection (it publishes the <c>queued</c> job events).</summary>
    public required string PresenceId { get; init; }

    /// <param name="worker">The process's settings (storage, database, broker, and the source the API's own variables come from).</param>
    /// <param name="defaultListen">The address when COMPUTE_API_LISTEN is unset; null leaves the API off.</param>
    public static ComputeServiceSettings Read(WorkerSettings worker, string? defaultListen = null)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var reader = new SettingsReader(worker.Source);
        var listen = ParseListen(reader, reader.Optional("COMPUTE_API_LISTEN") ?? defaultListen);
        var limit = reader.WholeNumber("COMPUTE_UPLOAD_MAX_MB", DefaultUploadLimitMegabytes, 1, 1024 * 1024);
        var key = Path.GetFullPath(reader.Text("COMPUTE_AUTH_PUBLIC_KEY", Path.Combine(worker.ServerDirectory, "keys", "public_key.pem")));
        var guest = reader.Bool("COMPUTE_GUEST_MODE", true);
        reader.ThrowIfInvalid();
        var presence = worker.WorkerId + "-compute-api";
        return new ComputeServiceSettings
        {
            Listen = listen,
            UploadLimitBytes = limit * 1024L * 1024,
            PublicKeyPath = key,
            GuestModeDefault = guest,
            ConfigFilePath = Path.Combine(worker.ServerDirectory, "compute_service_config.json"),
            ComputeStorageDirectory = worker.ComputeStorageDirectory,
            Store = worker.Store,
            Broadcast = worker.Broadcast with { ClientId = presence },
            PresenceId = presence,
        };
    }

    /// <summary>Accepts <c>host:port</c>, <c>[v6]:port</c> or an http:// URL; the host is an IP address or localhost.</summary>
    internal static IPEndPoint? ParseListen(SettingsReader reader, string? raw)
    {
        if (raw is null || raw.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var text = raw.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? raw["http://".Length..].TrimEnd('/') : raw;
        var colon = text.LastIndexOf(':');
        if (colon > 0
            && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            && ParseHost(text[..colon]) is { } address)
        {
            return new IPEndPoint(address, port);
        }

        reader.AddError($"COMPUTE_API_LISTEN: '{raw}' is not allowed; use host:port such as 127.0.0.1:8002, 0.0.0.0:8002 or [::1]:8002 (empty or off: no compute API).");
        return null;
    }

    private static IPAddress? ParseHost(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(bare, out var address) ? address : null;
    }
}
