using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MediaWorker.Messaging.Mqtt.Link;

/// <summary>
/// Validates the broker's TLS certificate (against MQTT_CA_FILE, or the system's CAs) and keeps
/// the real reason for a rejection: expired, not yet valid, a name that does not match, an unknown
/// CA. MQTTnet only reports that "the provided RemoteCertificateValidationCallback" rejected it.
/// </summary>
internal sealed class BrokerCertificateCheck
{
    private readonly string _host;
    private readonly string? _caFile;
    private volatile string? _rejection;

    /// <exception cref="InvalidOperationException">MQTT_CA_FILE holds no PEM certificate.</exception>
    public BrokerCertificateCheck(string host, string? caFile)
    {
        _host = host;
        _caFile = caFile;
        if (caFile is not null)
        {
            TrustedRoots = [];
            try
            {
                TrustedRoots.ImportFromPemFile(caFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new InvalidOperationException($"MQTT_CA_FILE: '{caFile}' cannot be read as PEM certificates: {ex.Message}", ex);
            }

            if (TrustedRoots.Count == 0)
            {
                throw new InvalidOperationException($"MQTT_CA_FILE: '{caFile}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
            }
        }
    }

    /// <summary>The CAs from MQTT_CA_FILE, trusted instead of the system's; null: the system's CAs.</summary>
    public X509Certificate2Collection? TrustedRoots { get; }

    /// <summary>Why the last handshake's certificate was rejected; null when it was not.</summary>
    public string? Rejection => _rejection;

    /// <summary>Forgets the previous attempt's rejection.</summary>
    public void Reset() => _rejection = null;

    /// <summary>The validation callback: true when the certificate has no problem at all.</summary>
    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            _rejection = null;
            return true;
        }

        _rejection = "certificate verify failed: " + Describe(certificate as X509Certificate2, chain, errors);
        return false;
    }

    private string Describe(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || certificate is null)
        {
            return "the broker sent no certificate";
        }

        var problems = new List<string>();
        var statuses = chain?.ChainStatus.Select(s => s.Status).Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s) ?? X509ChainStatusFlags.NoError;
        if (statuses.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            var now = DateTime.Now;
            problems.Add(certificate.NotAfter < now
                ? $"the broker's certificate expired on {Stamp(certificate.NotAfter)}"
                : certificate.NotBefore > now
                    ? $"the broker's certificate is not valid before {Stamp(certificate.NotBefore)}"
                    : "a certificate in the broker's chain has expired");
        }

        if ((statuses & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
        {
            var trusted = _caFile is null ? "the system's CA certificates" : $"MQTT_CA_FILE ({_caFile})";
            problems.Add($"unknown CA: the broker's certificate was issued by '{certificate.Issuer}', which is not in {trusted}");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            problems.Add($"name mismatch: the broker's certificate does not name '{_host}' (it names {Names(certificate)})");
        }

        var other = statuses & ~(X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain);
        if (other != X509ChainStatusFlags.NoError)
        {
            problems.Add(string.Join("; ", chain!.ChainStatus.Where(s => (s.Status & other) != 0).Select(s => s.StatusInformation.Trim())));
        }

        return problems.Count > 0 ? string.Join("; ", problems) : errors.ToString();
    }

    private static string Names(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension alternative)
            {
                names.AddRange(alternative.EnumerateDnsNames().Select(n => "DNS:" + n));
                names.AddRange(alternative.EnumerateIPAddresses().Select(a => "IP:" + a));
            }
        }

        return names.Count > 0 ? string.Join(", ", names) : certificate.Subject;
    }

    private static string Stamp(DateTime local) => local.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
