using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MediaWorker.Webhooks.Signing;

/// <summary>
/// The webhook signer (Standard Webhooks, v1): HMAC-SHA256 over <c>id.timestamp.body</c>, base64,
/// prefixed <c>v1,</c>. During a secret rotation both secrets sign, and the header carries both
/// signatures separated by a space, so a receiver that knows either one accepts the request.
/// </summary>
public static class WebhookSigner
{
    /// <summary>The <c>webhook-signature</c> header value.</summary>
    /// <param name="id">The <c>webhook-id</c> header (the same on every attempt).</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header (epoch seconds of this attempt).</param>
    /// <param name="body">The exact bytes sent.</param>
    /// <param name="secrets">The current secret first, then the previous one while a rotation runs.</param>
    public static string Sign(string id, long timestamp, ReadOnlySpan<byte> body, IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}."));
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return string.Join(' ', secrets.Select(s => "v1," + Convert.ToBase64String(HMACSHA256.HashData(SecretKey.Bytes(s), content))));
    }
}
