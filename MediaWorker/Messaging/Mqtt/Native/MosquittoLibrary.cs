namespace MediaWorker.Messaging.Mqtt.Native;

/// <summary>
/// Process-wide libmosquitto initialisation. <c>mosquitto_lib_init</c> is not thread-safe, so it
/// runs under a lock when the first client is created; <c>mosquitto_lib_cleanup</c> runs when the last one is destroyed.
/// </summary>
internal static class MosquittoLibrary
{
    private static readonly Lock Gate = new();
    private static int _clients;

    /// <summary>Initialises the library for one more client; fails clearly when it is missing or too old.</summary>
    public static void Acquire()
    {
        lock (Gate)
        {
            if (_clients == 0)
            {
                CheckVersion();
                MosquittoErrors.ThrowIfFailed(Libmosquitto.mosquitto_lib_init(), "initialise");
            }

            _clients++;
        }
    }

    public static void Release()
    {
        lock (Gate)
        {
            if (_clients > 0 && --_clients == 0)
            {
                _ = Libmosquitto.mosquitto_lib_cleanup();
            }
        }
    }

    /// <summary>The loaded library's version as "major.minor.revision".</summary>
    public static string Version
    {
        get
        {
            Load(out var major, out var minor, out var revision);
            return $"{major}.{minor}.{revision}";
        }
    }

    private static void CheckVersion()
    {
        Load(out var major, out var minor, out var revision);
        if (major < 2)
        {
            throw new MosquittoException(
                $"{Libmosquitto.LibraryName} is version {major}.{minor}.{revision}; MediaWorker needs libmosquitto 2.0 or newer (Debian package libmosquitto1 from bookworm).");
        }
    }

    private static void Load(out int major, out int minor, out int revision)
    {
        try
        {
            _ = Libmosquitto.mosquitto_lib_version(out major, out minor, out revision);
        }
        catch (DllNotFoundException ex)
        {
            throw new MosquittoException(
                $"{Libmosquitto.LibraryName} could not be loaded: install the Debian package libmosquitto1 (scripts/setup.sh does), or set BROADCAST_TYPE=noop to run without MQTT.",
                ex);
        }
    }
}
