using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Http.Tests;

/// <summary><c>/api/pipelines</c> and <c>/api/pipeline-runs</c> through a real Kestrel on loopback, no worker, on both stores.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class PipelineApiTests(StoreKind store)
{
    private const string Pair = """
        {"name": "pair", "steps": [
          {"name": "first", "task": "sleep", "params": {"seconds": 1}},
          {"name": "second", "task": "noop", "needs": "first"}
        ]}
        """;

    private OpsHost _host = null!;

    [SetUp]
    public async Task SetUp() => _host = await OpsHost.StartAsync(store: store);

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [Test]
    public async Task StoreStartCancelRetry_ARunOfTwoSteps()
    {
        using var invalid = await Post("/api/pipelines/validate", """{"name": "bad", "steps": [{"name": "a", "task": "no_such_task"}]}""");
        var report = await Json(invalid);
        Assert.That((bool?)report["valid"], Is.False);
        Assert.That(report["errors"]!.AsArray(), Is.Not.Empty);

        using var stored = await Post("/api/pipelines", Pair);
        Assert.That(stored.StatusCode, Is.EqualTo(HttpStatusCode.Created), await stored.Content.ReadAsStringAsync());
        Assert.That((long?)(await Json(stored))["version"], Is.EqualTo(1));
        var listed = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/pipelines"))!["pipelines"]!.AsArray();
        Assert.That(listed.Select(p => (string?)p!["name"]), Is.EqualTo(new[] { "pair" }));

        using var started = await Post("/api/pipelines/pair/runs", """{"input": {"label": "x"}, "idempotency_key": "run-1"}""");
        Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.Created), await started.Content.ReadAsStringAsync());
        var run = await Json(started);
        var runId = (string)run["run_id"]!;
        var steps = run["steps"]!.AsArray().ToDictionary(s => (string)s!["step"]!, s => (string?)s!["status"]);
        Assert.That(steps["second"], Is.EqualTo("waiting"), "second needs first");
        Assert.That(steps["first"], Is.Not.EqualTo("waiting"));
        using var again = await Post("/api/pipelines/pair/runs", """{"idempotency_key": "run-1"}""");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)(await Json(again))["run_id"], Is.EqualTo(runId), "the same key, the same run");

        using var cancelled = await Post($"/api/pipeline-runs/{runId}/cancel", "");
        Assert.That((string?)(await Json(cancelled))["status"], Is.EqualTo("cancelled"));
        using var twice = await Post($"/api/pipeline-runs/{runId}/cancel", "");
        await ApiTests.AssertProblem(twice, HttpStatusCode.Conflict, $"Run '{runId}' is cancelled; only queued or running runs can be cancelled.");
        var runs = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/pipeline-runs?pipeline=pair&status=cancelled"))!["runs"]!.AsArray();
        Assert.That(runs.Select(r => (string?)r!["run_id"]), Is.EqualTo(new[] { runId }));

        using var retried = await Post($"/api/pipeline-runs/{runId}/retry", "");
        Assert.That((string?)(await Json(retried))["status"], Is.AnyOf("queued", "running"));
        using var missing = await _host.Client.GetAsync("/api/pipeline-runs/nope");
        await ApiTests.AssertProblem(missing, HttpStatusCode.NotFound, "No pipeline run 'nope'.");
    }

    private async Task<HttpResponseMessage> Post(string path, string body) =>
        await _host.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<JsonObject> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
}
