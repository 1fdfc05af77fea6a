using System.Text;

namespace MediaWorker.Webhooks.Signing;

/// <summary>
/// A signing secret as the Standard Webhooks specification writes it, <c>whsec_</c> and the base64
/// of the key bytes; any other text is used as its UTF-8 bytes (a secret a receiver already has).
/// </summary>
public static class SecretKey
{
    private const string Prefix = "whsec_";
    private const int MinimumBytes = 16;

    public static byte[] Bytes(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.StartsWith(Prefix, StringComparison.Ordinal)
            ? Convert.FromBase64String(secret[Prefix.Length..])
            : Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>Throws <see cref="ArgumentException"/> for a secret too short to sign with, or a whsec_ one that is not base64.</summary>
    public static void Validate(string secret)
    {
        byte[] bytes;
        try
        {
            bytes = Bytes(secret);
        }
        catch (FormatException)
        {
            throw new ArgumentException("the secret starts with whsec_ but the rest is not base64.");
        }

        if (bytes.Length < MinimumBytes)
        {
            throw new ArgumentException($"the secret is {bytes.Length} bytes; use at least {MinimumBytes} (e.g. `echo whsec_$(openssl rand -base64 32)`).");
        }
    }
}
