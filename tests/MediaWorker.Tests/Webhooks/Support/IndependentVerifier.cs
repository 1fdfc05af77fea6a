using System.Diagnostics;
using System.Text;

namespace MediaWorker.Tests.Webhooks.Support;

/// <summary>
/// Verifies a webhook signature the way a receiver following the Standard Webhooks specification
/// would, with openssl computing the HMAC-SHA256 (nothing of MediaWorker's signer is used):
/// the key is the base64 after <c>whsec_</c> (or the secret's UTF-8 bytes), the content
/// <c>id.timestamp.body</c>, and any one of the space-separated <c>v1,</c> signatures must match.
/// </summary>
public static class IndependentVerifier
{
    public static async Task<bool> VerifyAsync(string secret, string id, string timestamp, string body, string signatureHeader)
    {
        var key = secret.StartsWith("whsec_", StringComparison.Ordinal) ? Convert.FromBase64String(secret[6..]) : Encoding.UTF8.GetBytes(secret);
        var expected = "v1," + Convert.ToBase64String(await OpensslHmacAsync(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return signatureHeader.Split(' ').Any(s => s == expected);
    }

    private static async Task<byte[]> OpensslHmacAsync(byte[] key, byte[] content)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "dgst", "-sha256", "-mac", "HMAC", "-macopt", "hexkey:" + Convert.ToHexString(key), "-binary" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        await process.StandardInput.BaseStream.WriteAsync(content);
        process.StandardInput.Close();
        using var output = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("openssl failed: " + await process.StandardError.ReadToEndAsync());
        }

        return output.ToArray();
    }
}
