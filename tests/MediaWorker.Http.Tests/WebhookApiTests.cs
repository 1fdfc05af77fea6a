using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Http.Tests;

/// <summary><c>/api/webhooks</c>: the CLI's webhook commands over HTTP; secrets accepted, never returned; on both stores.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class WebhookApiTests(StoreKind store)
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private OpsHost _host = null!;

    [SetUp]
    public async Task SetUp() => _host = await OpsHost.StartAsync(s => s["WEBHOOK_ALLOWED_URL_PREFIXES"] = "http://hub.lan/hooks/", store: store);

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [Test]
    public async Task AddListTestDeliveriesRemove_WithoutEverShowingTheSecret()
    {
        using var added = await _host.Client.PostAsJsonAsync("/api/webhooks", new { url = "http://hub.lan/hooks/mw", secret = Secret, events = "completed,failed" });
        var addedText = await added.Content.ReadAsStringAsync();
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created), addedText);
        var id = JsonNode.Parse(addedText)!["id"]!.GetValue<string>();
        Assert.That(addedText, Does.Contain("\"events\":[\"completed\",\"failed\"]").And.Not.Contain(Secret[6..]));

        var list = await _host.Client.GetStringAsync("/api/webhooks");
        Assert.That(list, Does.Contain(id).And.Not.Contain(Secret[6..]));

        using var rotated = await _host.Client.PostAsJsonAsync($"/api/webhooks/{id}/rotate", new { secret = "whsec_c2Vjb25kLXNlY3JldC1mb3ItdGhlLWVuZHBvaW50" });
        var rotatedText = await rotated.Content.ReadAsStringAsync();
        Assert.That((rotated.StatusCode, rotatedText), Is.EqualTo((HttpStatusCode.OK, rotatedText)));
        Assert.That(rotatedText, Does.Contain("\"rotating\":true").And.Not.Contain("c2Vjb25k"));

        using var test = await _host.Client.PostAsync($"/api/webhooks/{id}/test", null);
        Assert.That(test.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var deliveryId = (await test.Content.ReadFromJsonAsync<JsonObject>())!["delivery_id"]!.GetValue<string>();
        var deliveries = await _host.Client.GetFromJsonAsync<JsonArray>($"/api/webhooks/{id}/deliveries");
        Assert.That(deliveries!.Single()!["delivery_id"]!.GetValue<string>(), Is.EqualTo(deliveryId));
        Assert.That(deliveries![0]!["status"]!.GetValue<string>(), Is.EqualTo("queued"));

        using var removed = await _host.Client.DeleteAsync($"/api/webhooks/{id}");
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var gone = await _host.Client.GetAsync($"/api/webhooks/{id}");
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task UrlOutsideTheAllowList_IsABadRequest_NamingTheRule()
    {
        using var refused = await _host.Client.PostAsJsonAsync("/api/webhooks", new { url = "http://hub.lan/other", secret = Secret });
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(),
            Is.EqualTo("'http://hub.lan/other' is refused: it starts with none of WEBHOOK_ALLOWED_URL_PREFIXES (http://hub.lan/hooks/)."));

        using var job = await _host.Client.PostAsJsonAsync("/api/jobs", new { task_type = "noop", webhook_url = "http://elsewhere.lan/cb" });
        Assert.That(job.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await job.Content.ReadAsStringAsync(), Does.Contain("--webhook-url: 'http://elsewhere.lan/cb' is refused"));
    }

    [Test]
    public async Task OpenApiDocument_DescribesTheWebhookEndpoints()
    {
        var document = await _host.Client.GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        var paths = document!["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.That(paths, Is.SupersetOf(new[] { "/api/webhooks", "/api/webhooks/{id}", "/api/webhooks/{id}/rotate", "/api/webhooks/{id}/test", "/api/webhooks/{id}/deliveries" }));
    }
}
