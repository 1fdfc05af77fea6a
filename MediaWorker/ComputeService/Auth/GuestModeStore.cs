using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaWorker.ComputeService.Auth;

/// <summary>What an admin set guest mode to, and when and by whom (<c>GET /admin/config</c>).</summary>
public sealed record GuestModeState(bool GuestMode, long? UpdatedAt, string? UpdatedBy);

/// <summary>
/// Guest mode (no authentication), kept in a small JSON file beside the database so an admin's
/// choice survives restarts and is shared by every process serving the API on this box. Before any
/// admin chose, <c>COMPUTE_GUEST_MODE</c> decides (default on, as in the seed).
/// </summary>
public sealed class GuestModeStore(string path, bool defaultGuestMode, Func<long> clock)
{
    private readonly Lock _gate = new();
    private (DateTime WrittenAt, GuestModeState State)? _cached;

    public GuestModeState Current
    {
        get
        {
            lock (_gate)
            {
                var written = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
                if (_cached is { } cached && cached.WrittenAt == written)
                {
                    return cached.State;
                }

                var state = written == DateTime.MinValue ? new GuestModeState(defaultGuestMode, null, null) : Read();
                _cached = (written, state);
                return state;
            }
        }
    }

    public GuestModeState Set(bool guestMode, string? by)
    {
        var state = new GuestModeState(guestMode, clock(), by);
        var json = new JsonObject { ["guest_mode"] = guestMode, ["updated_at"] = state.UpdatedAt, ["updated_by"] = by };
        lock (_gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, json.ToJsonString());
            File.Move(temporary, path, overwrite: true); // readers see the old file or the new one, never half of one
            _cached = null;
        }

        return state;
    }

    private GuestModeState Read()
    {
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            if (json?["guest_mode"] is JsonValue value && value.TryGetValue<bool>(out var guest))
            {
                return new GuestModeState(
                    guest,
                    json["updated_at"] is JsonValue at && at.TryGetValue<long>(out var ms) ? ms : null,
                    json["updated_by"] is JsonValue by && by.TryGetValue<string>(out var who) ? who : null);
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
        }

        // An unreadable file must not open the service to everyone: require authentication.
        return new GuestModeState(false, null, null);
    }
}
