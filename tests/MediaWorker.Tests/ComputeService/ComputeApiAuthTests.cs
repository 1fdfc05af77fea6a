using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dapper;
using NUnit.Framework;

namespace MediaWorker.Tests.ComputeService;

/// <summary>
/// Authentication as the seed's service does it, with guest mode off: ES256 tokens checked against
/// <c>$CL_SERVER_DIR/keys/public_key.pem</c>, <c>ai_inference_support</c> for job routes, admins for admin routes.
/// </summary>
public sealed class ComputeApiAuthTests
{
    private ComputeApiScene _scene = null!;
    private TestTokens _tokens = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _scene = await ComputeApiScene.StartAsync(new Dictionary<string, string?> { ["COMPUTE_GUEST_MODE"] = "false" });
        _tokens = new TestTokens(_scene.Env.ServerDirectory);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _tokens.Dispose();
        await _scene.DisposeAsync();
    }

    [Test]
    public async Task Root_SaysAuthIsRequired_WithoutAToken()
    {
        var root = JsonNode.Parse(await _scene.Api.Client.GetStringAsync(""))!;
        Assert.That(root["guestMode"]!.GetValue<string>(), Is.EqualTo("off"));
        Assert.That(root["auth_required"]!.GetValue<bool>(), Is.True);
        using var capabilities = await _scene.Api.Client.GetAsync("capabilities");
        Assert.That((int)capabilities.StatusCode, Is.EqualTo(200), "capabilities need no token, as in the seed");
    }

    [Test]
    public async Task NoToken_Is401_WithABearerChallenge()
    {
        using var response = await _scene.Api.SubmitAsync("hash", _scene.Jpeg);
        await AssertRefusedAsync(response, 401, "Authentication required");
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
        using var get = await _scene.Api.Client.GetAsync("jobs/anything");
        Assert.That((int)get.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public async Task AnExpiredToken_Is401()
    {
        var token = _tokens.Issue("user-1", permissions: ["ai_inference_support"], expiresIn: TimeSpan.FromMinutes(-1));
        using var response = await _scene.Api.SubmitAsync("hash", _scene.Jpeg, token: token);
        await AssertRefusedAsync(response, 401, "JWT token has expired");
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
    }

    [Test]
    public async Task ATokenWithoutExp_OrSignedByAnotherKey_OrWithoutId_Is401()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        foreach (var (token, detail) in new[]
        {
            (_tokens.Issue("user-1", permissions: ["ai_inference_support"], withExpiry: false), "Could not validate credentials"),
            (_tokens.Issue("user-1", permissions: ["ai_inference_support"], signer: otherKey), "Could not validate credentials"),
            (_tokens.Issue("user-1", permissions: ["ai_inference_support"], withId: false), "JWT payload is invalid"),
            ("not-a-jwt", "Could not validate credentials"),
        })
        {
            using var response = await _scene.Api.SubmitAsync("hash", _scene.Jpeg, token: token);
            await AssertRefusedAsync(response, 401, detail);
        }
    }

    [Test]
    public async Task AMissingPermission_Is403()
    {
        using var response = await _scene.Api.SubmitAsync("hash", _scene.Jpeg, token: _tokens.Issue("user-2", permissions: ["media_store_read"]));
        await AssertRefusedAsync(response, 403, "Insufficient permissions. Required: ai_inference_support");
    }

    [Test]
    public async Task AGoodToken_Submits_AndItsIdIsCreatedBy()
    {
        var token = _tokens.Issue("user-3", permissions: ["ai_inference_support"]);
        using var response = await _scene.Api.SubmitAsync("hash", _scene.Jpeg, token: token);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        var jobId = JsonNode.Parse(body)!["job_id"]!.GetValue<string>();
        using (var connection = _scene.Env.Open())
        {
            Assert.That(connection.ExecuteScalar<string>("SELECT created_by FROM jobs WHERE job_id = @jobId", new { jobId }), Is.EqualTo("user-3"));
        }

        using var get = new HttpRequestMessage(HttpMethod.Get, $"jobs/{jobId}");
        get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var job = await _scene.Api.Client.SendAsync(get);
        Assert.That((int)job.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task AdminRoutes_RefuseANonAdmin_AndAdminsFlipGuestMode()
    {
        var user = _tokens.Issue("user-4", permissions: ["ai_inference_support"]);
        var admin = _tokens.Issue("admin-1", isAdmin: true);
        foreach (var path in new[] { "admin/jobs/storage/size", "admin/config" })
        {
            using var response = await SendAsync(HttpMethod.Get, path, user);
            await AssertRefusedAsync(response, 403, "Insufficient permissions. Admin access required");
            using var anonymous = await SendAsync(HttpMethod.Get, path, null);
            Assert.That((int)anonymous.StatusCode, Is.EqualTo(401));
        }

        using (var config = await SendAsync(HttpMethod.Get, "admin/config", admin))
        {
            Assert.That(JsonNode.Parse(await config.Content.ReadAsStringAsync())!["guest_mode"]!.GetValue<bool>(), Is.False);
        }

        // Admins have every permission, as in the seed.
        using (var submitted = await _scene.Api.SubmitAsync("hash", _scene.Jpeg, token: admin))
        {
            Assert.That((int)submitted.StatusCode, Is.EqualTo(200));
        }

        using (var flip = await SendAsync(HttpMethod.Put, "admin/config/guest-mode", admin, new FormUrlEncodedContent(new Dictionary<string, string> { ["guest_mode"] = "true" })))
        {
            Assert.That(JsonNode.Parse(await flip.Content.ReadAsStringAsync())!.ToJsonString(), Is.EqualTo("""{"guest_mode":true,"message":"Configuration updated successfully"}"""));
        }

        var root = JsonNode.Parse(await _scene.Api.Client.GetStringAsync(""))!;
        Assert.That(root["guestMode"]!.GetValue<string>(), Is.EqualTo("on"));
        using (var open = await _scene.Api.SubmitAsync("hash", _scene.Jpeg))
        {
            Assert.That((int)open.StatusCode, Is.EqualTo(200), "guest mode: no token needed");
        }

        var config2 = JsonNode.Parse(await _scene.Api.Client.GetStringAsync("admin/config"))!;
        Assert.That(config2["updated_by"]!.GetValue<string>(), Is.EqualTo("admin-1"));
        Assert.That(File.Exists(Path.Combine(_scene.Env.ServerDirectory, "compute_service_config.json")), Is.True, "kept across restarts");
        using var bad = await SendAsync(HttpMethod.Put, "admin/pref/guest-mode", null, new FormUrlEncodedContent(new Dictionary<string, string> { ["guest_mode"] = "perhaps" }));
        Assert.That((int)bad.StatusCode, Is.EqualTo(422));
    }

    [Test]
    public async Task AMissingPublicKey_Is500_SayingWhere()
    {
        File.Delete(Path.Combine(_scene.Env.ServerDirectory, "keys", "public_key.pem"));
        using var response = await _scene.Api.SubmitAsync("hash", _scene.Jpeg, token: "x.y.z");
        var detail = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();
        Assert.That((int)response.StatusCode, Is.EqualTo(500));
        Assert.That(detail, Does.Contain("public_key.pem").And.Contain("COMPUTE_AUTH_PUBLIC_KEY"));
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return _scene.Api.Client.SendAsync(request);
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, int status, string detail)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
        Assert.That(JsonNode.Parse(body)!["detail"]!.GetValue<string>(), Is.EqualTo(detail));
        using var connection = _scene.Env.Open();
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs"), Is.Zero);
    }
}
