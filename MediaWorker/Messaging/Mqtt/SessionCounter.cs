using System.Globalization;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Messaging.Mqtt;

/// <summary>
/// The capability message's <c>session</c>: a per-worker counter kept in
/// <c>$CL_SERVER_DIR/mqtt/&lt;worker_id&gt;.session</c>, incremented for every accepted connection,
/// so a subscriber can tell a reconnect or a restart from a message of the same connection.
/// </summary>
internal sealed class SessionCounter
{
    private readonly string _path;
    private readonly ILogger _logger;
    private long? _current;
    private bool _writeFailureLogged;

    public SessionCounter(string path, ILogger logger)
    {
        _path = path;
        _logger = logger;
    }

    public static string PathFor(string serverDirectory, string workerId) => Path.Combine(serverDirectory, "mqtt", workerId + ".session");

    /// <summary>The next session number, persisted before it is returned (best effort: a read-only disk only costs persistence).</summary>
    public long Next()
    {
        var next = (_current ??= Load()) + 1;
        _current = next;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temporary = _path + ".tmp";
            File.WriteAllText(temporary, next.ToString(CultureInfo.InvariantCulture));
            File.Move(temporary, _path, overwrite: true); // atomic: a crash leaves the old value or the new, never half a number
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (!_writeFailureLogged)
            {
                _logger.LogWarning("The MQTT session counter cannot be saved to {Path} ({Reason}); sessions restart from 1 after a restart.", _path, ex.Message);
                _writeFailureLogged = true;
            }
        }

        return next;
    }

    private long Load()
    {
        try
        {
            if (!File.Exists(_path))
            {
                return 0;
            }

            var text = File.ReadAllText(_path).Trim();
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            _logger.LogWarning("The MQTT session counter {Path} holds '{Text}', not a number; counting again from 0.", _path, text);
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("The MQTT session counter {Path} cannot be read ({Reason}); counting again from 0.", _path, ex.Message);
            return 0;
        }
    }
}
