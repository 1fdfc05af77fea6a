using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MediaWorker.Http.Hosting;

/// <summary>
/// With a token configured, every request needs <c>Authorization: Bearer &lt;token&gt;</c>, except the
/// paths <paramref name="isPublic"/> names (liveness, and static files that hold no data). Tokens are
/// compared in constant time; a refusal is a 401 problem that never echoes what was sent.
/// </summary>
public static class BearerTokenCheck
{
    public static IApplicationBuilder UseBearerToken(this IApplicationBuilder app, string? token, Func<PathString, bool> isPublic)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (token is null)
        {
            return app;
        }

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return app.Use(async (context, next) =>
        {
            if (isPublic(context.Request.Path) || Matches(context.Request.Headers.Authorization.ToString(), expected))
            {
                await next(context);
                return;
            }

            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"mediaworker\"";
            await Problems.Write(context, StatusCodes.Status401Unauthorized, "Unauthorized",
                "This server needs the API token: send the header 'Authorization: Bearer <API_TOKEN>'.");
        });
    }

    private static bool Matches(string header, byte[] expected)
    {
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hashing first makes the comparison constant-time whatever the lengths.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
