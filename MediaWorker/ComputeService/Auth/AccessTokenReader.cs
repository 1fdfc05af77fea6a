using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MediaWorker.ComputeService.Responses;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MediaWorker.ComputeService.Auth;

/// <summary>
/// Checks a Bearer token as the seed's auth does: ES256 signed by the auth service's key
/// (<c>$CL_SERVER_DIR/keys/public_key.pem</c>), <c>exp</c> required and in the future, <c>id</c>
/// required. The key file is read again when it changes (the auth service may rotate it).
/// </summary>
public sealed class AccessTokenReader(string publicKeyPath)
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly Lock _gate = new();
    private (DateTime WrittenAt, ECDsaSecurityKey Key)? _key;

    /// <summary>The caller a token names; an <see cref="ApiException"/> 401 when it is not valid, 500 when there is no key.</summary>
    public async Task<Caller> ReadAsync(string token)
    {
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = Key(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.Zero,
        };
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            throw result.Exception is SecurityTokenExpiredException
                ? ApiException.Unauthorized("JWT token has expired")
                : ApiException.Unauthorized("Could not validate credentials");
        }

        return ParseClaims(((JsonWebToken)result.SecurityToken).EncodedPayload);
    }

    /// <summary>The seed's payload model, strict: <c>id</c> a string, <c>is_admin</c> a boolean, <c>permissions</c> a list of strings.</summary>
    internal static Caller ParseClaims(string encodedPayload)
    {
        try
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(encodedPayload));
            var root = payload.RootElement;
            if (!root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                throw Invalid();
            }

            var isAdmin = false;
            if (root.TryGetProperty("is_admin", out var admin))
            {
                isAdmin = admin.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Invalid(),
                };
            }

            var permissions = new List<string>();
            if (root.TryGetProperty("permissions", out var list))
            {
                if (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(p => p.ValueKind != JsonValueKind.String))
                {
                    throw Invalid();
                }

                permissions.AddRange(list.EnumerateArray().Select(p => p.GetString()!).Distinct(StringComparer.Ordinal));
            }

            return new Caller(id.GetString()!, isAdmin, permissions);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            throw Invalid();
        }
    }

    private static ApiException Invalid() => ApiException.Unauthorized("JWT payload is invalid");

    private ECDsaSecurityKey Key()
    {
        DateTime written;
        try
        {
            written = File.GetLastWriteTimeUtc(publicKeyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw NoKey(ex.Message);
        }

        lock (_gate)
        {
            if (_key is { } cached && cached.WrittenAt == written)
            {
                return cached.Key;
            }

            string pem;
            try
            {
                pem = File.ReadAllText(publicKeyPath, Encoding.ASCII);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw NoKey(ex is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : ex.Message);
            }

            var ecdsa = ECDsa.Create();
            try
            {
                ecdsa.ImportFromPem(pem);
            }
            catch (ArgumentException ex)
            {
                ecdsa.Dispose();
                throw NoKey($"it is not a PEM EC public key ({ex.Message})");
            }

            var key = new ECDsaSecurityKey(ecdsa);
            _key = (written, key);
            return key;
        }
    }

    private ApiException NoKey(string why) =>
        new(500, $"Public key not found at {publicKeyPath}: {why}. Is the authentication service running? (COMPUTE_AUTH_PUBLIC_KEY)");
}
