using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Http.Tests;

/// <summary><c>/api/pipelines</c> (JSON and <c>application/yaml</c> bodies) and <c>/api/pipeline-runs</c> through a real Kestrel on loopback, no worker, on both stores.</summary>
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

    private const string YamlDefinition = """
        name: api_yaml
        steps:
          - name: first
            task: noop
          - name: second
            task: noop
            needs: first
        """;

    private const string JsonDefinition = """{"name": "api_yaml", "steps": [{"name": "first", "task": "noop"}, {"name": "second", "task": "noop", "needs": "first"}]}""";

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

    [Test]
    public async Task AYamlBody_IsValidated_Stored_AndRun_AsItsJsonWouldBe()
    {
        using var valid = await Post("/api/pipelines/validate", YamlDefinition, "application/yaml");
        Assert.That(valid.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((bool?)(await Json(valid))["valid"], Is.True);

        using var stored = await Post("/api/pipelines", YamlDefinition, "application/yaml; charset=utf-8");
        Assert.That(stored.StatusCode, Is.EqualTo(HttpStatusCode.Created), await stored.Content.ReadAsStringAsync());
        Assert.That((long?)(await Json(stored))["version"], Is.EqualTo(1));
        using var sameAsJson = await Post("/api/pipelines", JsonDefinition, "application/json");
        Assert.That((long?)(await Json(sameAsJson))["version"], Is.EqualTo(1), "the same definition in JSON is the same version");

        using var started = await Post("/api/pipelines/api_yaml/runs", """{"input": {"a": 1}}""", "application/json");
        Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var run = await Json(started);
        Assert.That(run["steps"]!.AsArray().Select(s => (string?)s!["step"]), Is.EqualTo(new[] { "first", "second" }));
        var listed = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/pipelines"))!["pipelines"]!.AsArray();
        Assert.That(listed.Select(p => (string?)p!["name"]), Is.EqualTo(new[] { "api_yaml" }));
    }

    [Test]
    public async Task AnInvalidYamlBody_GetsItsErrors_WithLines()
    {
        const string broken = "name: broken\nsteps:\n  - name: a\n    task: nope\n    needs: [z]\n";
        using var validated = await Post("/api/pipelines/validate", broken, "application/yaml");
        var report = await Json(validated);
        Assert.That((bool?)report["valid"], Is.False);
        Assert.That(report["errors"]!.AsArray().Select(e => (string?)e), Is.EquivalentTo(new[]
        {
            "line 5: step 'a': needs: no step is named 'z'",
            "line 4: step 'a': task: unknown task type 'nope' (no loaded plugin offers it; see 'mediaworker plugins')",
        }));

        using var refused = await Post("/api/pipelines", broken, "application/yaml");
        var problem = await ApiTests.AssertProblem(refused, HttpStatusCode.BadRequest, null);
        Assert.That((string?)problem["detail"], Does.Contain("line 5: step 'a': needs: no step is named 'z'"));

        using var syntax = await Post("/api/pipelines/validate", "name: [x\n", "application/yaml");
        var syntaxReport = await Json(syntax);
        Assert.That((string?)syntaxReport["errors"]![0], Does.StartWith("line 2: the definition is not valid YAML"));
    }

    [Test]
    public async Task AJsonBody_KeepsWorkingAsBefore()
    {
        using var valid = await Post("/api/pipelines/validate", JsonDefinition, "application/json");
        Assert.That((bool?)(await Json(valid))["valid"], Is.True);
        using var notJson = await Post("/api/pipelines/validate", YamlDefinition, "application/json");
        var problem = await ApiTests.AssertProblem(notJson, HttpStatusCode.BadRequest, null);
        Assert.That((string?)problem["detail"], Does.StartWith("The request body is not valid JSON"));
    }

    private Task<HttpResponseMessage> Post(string path, string body) => Post(path, body, "application/json");

    private async Task<HttpResponseMessage> Post(string path, string body, string mediaType)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(mediaType);
        return await _host.Client.PostAsync(path, content);
    }

    private static async Task<JsonObject> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
}
