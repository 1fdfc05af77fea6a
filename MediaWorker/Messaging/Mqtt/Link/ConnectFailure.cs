using System.Net.Sockets;
using System.Security.Authentication;
using MQTTnet;

namespace MediaWorker.Messaging.Mqtt.Link;

/// <summary>Turns what MQTTnet reports about a failed attempt or a lost link into one short reason a person can act on.</summary>
internal static class ConnectFailure
{
    /// <summary>Why an attempt threw: the socket's error, the TLS problem, or the innermost message.</summary>
    public static string Describe(Exception exception, BrokerCertificateCheck? certificates)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException socket:
                    return socket.Message;
                case AuthenticationException tls:
                    return certificates?.Rejection ?? $"TLS handshake failed: {tls.Message}";
            }
        }

        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return innermost.Message.TrimEnd('.');
    }

    /// <summary>True when the reason is about TLS (so the log line adds the MQTT_CA_FILE hint).</summary>
    public static bool IsTls(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Why an accepted connection ended.</summary>
    public static string DescribeLoss(MqttClientDisconnectedEventArgs closed)
    {
        if (closed.Reason is not (MqttClientDisconnectReason.NormalDisconnection or MqttClientDisconnectReason.UnspecifiedError))
        {
            // MQTT 5: the broker said why (session taken over by another client with our id, ...).
            var words = Words(closed.Reason.ToString());
            return closed.ReasonString is { Length: > 0 } text ? $"the broker disconnected us: {words} ({text})" : $"the broker disconnected us: {words}";
        }

        return closed.Exception is null ? "The connection was lost" : Describe(closed.Exception, null);
    }

    /// <summary>The broker's CONNACK refusal in words, e.g. "Connection Refused: not authorised" (mosquitto's wording for 3.1.1, kept from the earlier build).</summary>
    public static string DescribeRefusal(MqttClientConnectResult result)
    {
        var text = result.ResultCode switch
        {
            MqttClientConnectResultCode.UnsupportedProtocolVersion => "Connection Refused: unacceptable protocol version",
            MqttClientConnectResultCode.ClientIdentifierNotValid => "Connection Refused: identifier rejected",
            MqttClientConnectResultCode.ServerUnavailable => "Connection Refused: broker unavailable",
            MqttClientConnectResultCode.BadUserNameOrPassword => "Connection Refused: bad user name or password",
            MqttClientConnectResultCode.NotAuthorized => "Connection Refused: not authorised",
            var code => $"Connection Refused: {Words(code.ToString())}",
        };
        return result.ReasonString is { Length: > 0 } reason ? $"{text} ({reason})" : text;
    }

    /// <summary>True for the refusals that mean the credentials are wrong or missing.</summary>
    public static bool IsCredentialProblem(MqttClientConnectResultCode code) =>
        code is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized;

    /// <summary>"NotAuthorized" as "not authorized".</summary>
    private static string Words(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
