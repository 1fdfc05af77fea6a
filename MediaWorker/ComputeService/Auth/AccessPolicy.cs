using MediaWorker.ComputeService.Responses;
using Microsoft.AspNetCore.Http;

namespace MediaWorker.ComputeService.Auth;

/// <summary>
/// The seed's two requirements. In guest mode every request passes without looking at tokens (the
/// seed's behaviour; jobs then have no <c>created_by</c>). Otherwise a valid Bearer token is needed:
/// 401 without one, 403 when it lacks the permission (admins have every permission).
/// </summary>
public sealed class AccessPolicy(GuestModeStore guestMode, AccessTokenReader tokens)
{
    public bool AuthRequired => !guestMode.Current.GuestMode;

    /// <summary>The caller when authentication is on; null in guest mode.</summary>
    public Task<Caller?> RequirePermissionAsync(HttpRequest request, string permission) =>
        RequireAsync(request, caller => caller.Has(permission), $"Insufficient permissions. Required: {permission}");

    public Task<Caller?> RequireAdminAsync(HttpRequest request) =>
        RequireAsync(request, caller => caller.IsAdmin, "Insufficient permissions. Admin access required");

    private async Task<Caller?> RequireAsync(HttpRequest request, Func<Caller, bool> allowed, string refusal)
    {
        if (!AuthRequired)
        {
            return null;
        }

        var token = BearerToken(request) ?? throw ApiException.Unauthorized("Authentication required");
        var caller = await tokens.ReadAsync(token);
        return allowed(caller) ? caller : throw ApiException.Forbidden(refusal);
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header.Length > Scheme.Length
            ? header[Scheme.Length..].Trim()
            : null;
    }
}
