using Microsoft.Extensions.Logging;
using MQTTnet;

namespace MediaWorker.Messaging.Mqtt.Link;

/// <summary>
/// Writes one log line per change of the broker link (connected, lost, unreachable, refused and
/// why), not one per reconnect attempt: repeats of the same failure go to Debug.
/// </summary>
internal sealed class ConnectionStateLog
{
    private readonly ILogger _logger;
    private readonly MqttConnectionOptions _options;
    private LinkState _state = LinkState.Starting;
    private string? _reason;
    private int _failedAttempts;

    public ConnectionStateLog(ILogger logger, MqttConnectionOptions options)
    {
        _logger = logger;
        _options = options;
    }

    private enum LinkState
    {
        Starting,
        Connected,
        Lost,
        Unreachable,
        Refused,
    }

    public void Connected()
    {
        if (_failedAttempts > 0)
        {
            _logger.LogInformation("MQTT connected to {Endpoint} as {ClientId} after {Attempts} failed attempts.", _options.Endpoint, _options.ClientId, _failedAttempts);
        }
        else
        {
            _logger.LogInformation("MQTT connected to {Endpoint} as {ClientId}.", _options.Endpoint, _options.ClientId);
        }

        _state = LinkState.Connected;
        _reason = null;
        _failedAttempts = 0;
    }

    public void Lost(string reason)
    {
        _logger.LogWarning(
            "MQTT connection to {Endpoint} lost ({Reason}); reconnecting with backoff of up to {MaxDelay:0.#} s.{Consequence}",
            _options.Endpoint,
            reason,
            _options.ReconnectDelayMax.TotalSeconds,
            _options.Consequence);
        _state = LinkState.Lost;
        _reason = reason;
    }

    /// <summary>An attempt failed before the broker accepted us: no route, no listener, TLS failure.</summary>
    public void Unreachable(string reason, bool tls)
    {
        _failedAttempts++;

        // Right after a loss the broker is expected to be away for a while: the "lost" line already said so.
        if (_state == LinkState.Lost || (_state == LinkState.Unreachable && _reason == reason))
        {
            _logger.LogDebug("MQTT broker {Endpoint} still unreachable ({Reason}); attempt {Attempt}.", _options.Endpoint, reason, _failedAttempts);
            return;
        }

        _logger.LogWarning(
            "MQTT broker {Endpoint} is unreachable ({Reason}){Hint}; retrying with backoff of up to {MaxDelay:0.#} s.{Consequence}",
            _options.Endpoint,
            reason,
            tls ? TlsHint() : string.Empty,
            _options.ReconnectDelayMax.TotalSeconds,
            _options.Consequence);
        _state = LinkState.Unreachable;
        _reason = reason;
    }

    /// <summary>The broker answered CONNECT with a refusal (bad credentials, not authorised, identifier rejected...).</summary>
    public void Refused(MqttClientConnectResultCode code, string reason)
    {
        _failedAttempts++;
        if (_state == LinkState.Refused && _reason == reason)
        {
            _logger.LogDebug("MQTT broker {Endpoint} still refuses the connection ({Reason}); attempt {Attempt}.", _options.Endpoint, reason, _failedAttempts);
            return;
        }

        var hint = ConnectFailure.IsCredentialProblem(code)
            ? _options.Username is null
                ? "; the broker needs credentials: set MQTT_USERNAME and MQTT_PASSWORD"
                : $"; check MQTT_USERNAME ('{_options.Username}') and MQTT_PASSWORD"
            : string.Empty;
        _logger.LogError(
            "MQTT broker {Endpoint} refused the connection as {ClientId} ({Reason}){Hint}; retrying with backoff of up to {MaxDelay:0.#} s.{Consequence}",
            _options.Endpoint,
            _options.ClientId,
            reason,
            hint,
            _options.ReconnectDelayMax.TotalSeconds,
            _options.Consequence);
        _state = LinkState.Refused;
        _reason = reason;
    }

    private string TlsHint() =>
        $"; check MQTT_CA_FILE ({_options.CaFile ?? "system CA certificates"}) and that the broker's certificate names '{_options.Host}' and is in date";
}
