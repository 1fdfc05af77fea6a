using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MediaWorker.Tests.ComputeService;

/// <summary>An ES256 key pair made for the test, standing in for the auth service: its public key in <c>keys/public_key.pem</c>.</summary>
internal sealed class TestTokens : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestTokens(string serverDirectory)
    {
        Directory.CreateDirectory(Path.Combine(serverDirectory, "keys"));
        File.WriteAllText(Path.Combine(serverDirectory, "keys", "public_key.pem"), _key.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>A token as the auth service issues them: <c>id</c>, <c>is_admin</c>, <c>permissions</c>, <c>exp</c>.</summary>
    public string Issue(string id, bool isAdmin = false, string[]? permissions = null, TimeSpan? expiresIn = null, bool withExpiry = true, ECDsa? signer = null, bool withId = true)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(30));
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["id"] = id,
                ["is_admin"] = isAdmin,
                ["permissions"] = (permissions ?? []).Cast<object>().ToList(),
            },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(signer ?? _key), SecurityAlgorithms.EcdsaSha256),
        };
        if (!withId)
        {
            descriptor.Claims.Remove("id");
        }

        if (withExpiry)
        {
            descriptor.Expires = expires;
            descriptor.NotBefore = expires < now ? expires - TimeSpan.FromMinutes(5) : now;
            descriptor.IssuedAt = descriptor.NotBefore;
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public void Dispose() => _key.Dispose();
}
