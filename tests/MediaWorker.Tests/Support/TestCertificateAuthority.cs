using MediaWorker.Testing;

namespace MediaWorker.Tests.Support;

/// <summary>
/// A throw-away CA and a server certificate for localhost/127.0.0.1, made with openssl (EC keys:
/// fast). A <c>serverDays</c> of -1 makes a certificate that expired yesterday; other
/// <c>serverNames</c> make one that does not match the host.
/// </summary>
internal sealed class TestCertificateAuthority : IDisposable
{
    private readonly TempDirectory _directory;

    private TestCertificateAuthority(TempDirectory directory) => _directory = directory;

    public string CaCertificate => _directory.Combine("ca.crt");
    public string ServerCertificate => _directory.Combine("server.crt");
    public string ServerKey => _directory.Combine("server.key");

    public static async Task<TestCertificateAuthority> CreateAsync(string commonName = "MediaWorker Test CA", int serverDays = 2, string serverNames = "DNS:localhost,IP:127.0.0.1")
    {
        var directory = new TempDirectory("mw-ca");
        var ca = new TestCertificateAuthority(directory);
        var caKey = directory.Combine("ca.key");
        var request = directory.Combine("server.csr");
        var extensions = directory.Combine("server.ext");
        await File.WriteAllTextAsync(extensions, $"subjectAltName={serverNames}\n");
        await ExternalTool.RunCheckedAsync("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", caKey, "-out", ca.CaCertificate, "-days", "2", "-subj", $"/CN={commonName}");
        await ExternalTool.RunCheckedAsync("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", ca.ServerKey, "-out", request, "-subj", "/CN=localhost");
        await ExternalTool.RunCheckedAsync("openssl", "x509", "-req", "-in", request, "-CA", ca.CaCertificate, "-CAkey", caKey, "-CAcreateserial",
            "-out", ca.ServerCertificate, "-days", serverDays.ToString(System.Globalization.CultureInfo.InvariantCulture), "-extfile", extensions);
        return ca;
    }

    public void Dispose() => _directory.Dispose();
}
