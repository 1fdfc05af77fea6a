using MediaWorker.Configuration;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace MediaWorker.Messaging.Mqtt.Link;

/// <summary>The CONNECT every attempt of one <see cref="MqttConnection"/> sends: built once, will included.</summary>
internal static class ClientOptions
{
    public static MqttClientOptions Build(MqttClientFactory factory, MqttConnectionOptions options, BrokerCertificateCheck? certificates)
    {
        var builder = factory.CreateClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId(options.ClientId)
            .WithProtocolVersion(options.Protocol == MqttProtocol.V5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311)
            .WithCleanSession()
            // MQTT_KEEPALIVE goes into the CONNECT through KeepAliveChannel: with a keep-alive of
            // its own, MQTTnet would wake four times a second to check whether a PINGREQ is due.
            .WithNoKeepAlive()
            .WithTimeout(options.ConnectTimeout);
        if (options.Username is not null || options.Password is not null)
        {
            builder.WithCredentials(options.Username ?? string.Empty, options.Password);
        }

        if (options.WillTopic is not null)
        {
            // In every CONNECT, so the first connection and every reconnect carry it.
            builder.WithWillTopic(options.WillTopic)
                .WithWillPayload([])
                .WithWillRetain()
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        if (certificates is not null)
        {
            builder.WithTlsOptions(new MqttClientTlsOptions
            {
                UseTls = true,
                TargetHost = options.Host,
                TrustChain = certificates.TrustedRoots,

                // Private CAs publish no revocation lists, and mosquitto's own clients do not check them either.
                IgnoreCertificateRevocationErrors = true,
                RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                CertificateValidationHandler = e => certificates.Validate(e.Certificate, e.Chain, e.SslPolicyErrors),
            });
        }

        return builder.Build();
    }
}
