namespace MediaWorker.ComputeService.Auth;

/// <summary>Who sent a request, from a valid token's claims <c>id</c>, <c>is_admin</c> and <c>permissions</c>.</summary>
public sealed record Caller(string Id, bool IsAdmin, IReadOnlyList<string> Permissions)
{
    /// <summary>The permission the job routes need (the seed's <c>ai_inference_support</c>).</summary>
    public const string InferencePermission = "ai_inference_support";

    public bool Has(string permission) => IsAdmin || Permissions.Contains(permission, StringComparer.Ordinal);
}
