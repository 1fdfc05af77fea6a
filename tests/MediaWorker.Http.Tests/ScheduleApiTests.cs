using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Http.Tests;

/// <summary><c>/api/schedules</c> and <c>/api/queues</c> through a real Kestrel on loopback, with the CLI's messages, on both stores.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class ScheduleApiTests(StoreKind store)
{
    private OpsHost _host = null!;

    [SetUp]
    public async Task SetUp() => _host = await OpsHost.StartAsync(store: store);

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [Test]
    public async Task Schedules_AddGetListPauseResumeDelete()
    {
        using var created = await Post("/api/schedules", """
            {"name": "nightly", "cron": "0 3 * * *", "time_zone": "Europe/Berlin", "catch_up": "run_once",
             "target": {"kind": "job", "task_type": "sleep", "params": {"seconds": 1}, "priority": 8}}
            """);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        Assert.That(created.Headers.Location?.ToString(), Is.EqualTo("/api/schedules/nightly"));
        var schedule = await Json(created);
        Assert.That((string?)schedule["time_zone"], Is.EqualTo("Europe/Berlin"));
        Assert.That((string?)schedule["catch_up"], Is.EqualTo("run_once"));
        Assert.That((int?)schedule["target"]!["priority"], Is.EqualTo(8));
        Assert.That((string?)schedule["next_run"], Does.EndWith(":00:00Z"));

        using var taken = await Post("/api/schedules", """{"name": "nightly", "cron": "0 4 * * *", "target": {"task_type": "noop"}}""");
        await ApiTests.AssertProblem(taken, HttpStatusCode.Conflict, "A schedule named 'nightly' exists already; remove it first or add --replace.");
        using var replaced = await Post("/api/schedules", """{"name": "nightly", "cron": "0 4 * * *", "target": {"task_type": "noop"}, "replace": true}""");
        Assert.That((string?)(await Json(replaced))["cron"], Is.EqualTo("0 4 * * *"));

        using var paused = await Post("/api/schedules/nightly/pause", "");
        Assert.That((bool?)(await Json(paused))["paused"], Is.True);
        var listed = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/schedules"))!["schedules"]!.AsArray();
        Assert.That(listed.Select(s => (string?)s!["name"]), Is.EqualTo(new[] { "nightly" }));
        Assert.That((long?)listed[0]!["next_run_at"], Is.Null);
        using var resumed = await Post("/api/schedules/nightly/resume", "");
        Assert.That((long?)(await Json(resumed))["next_run_at"], Is.Not.Null);

        using var deleted = await _host.Client.DeleteAsync("/api/schedules/nightly");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var gone = await _host.Client.GetAsync("/api/schedules/nightly");
        await ApiTests.AssertProblem(gone, HttpStatusCode.NotFound, null);
    }

    [TestCase("""{"cron": "* * * * *", "target": {"task_type": "noop"}}""", "name is missing; give one such as nightly-cleanup.")]
    [TestCase("""{"name": "x", "cron": "* * * * *"}""", "target is missing or not an object; give {\"kind\": \"job\", \"task_type\": \"noop\", \"params\": {}}.")]
    [TestCase("""{"name": "x", "cron": "* * * * *", "target": {"kind": "workflow", "task_type": "noop"}}""", "target.kind 'workflow' is not one a schedule can start; use job or pipeline.")]
    [TestCase("""{"name": "x", "cron": "* * * * *", "target": {"kind": "pipeline", "task_type": "noop"}}""", "target.pipeline is missing; give a stored pipeline's name.")]
    [TestCase("""{"name": "x", "cron": "99 * * * *", "target": {"task_type": "noop"}}""", null)]
    [TestCase("""{"name": "x", "cron": "* * * * *", "time_zone": "Atlantis", "target": {"task_type": "noop"}}""", null)]
    [TestCase("""{"name": "x", "cron": "* * * * *", "target": {"task_type": "noop", "max_retries": -1}}""", "--max-retries must be 0 or more.")]
    public async Task BadSchedules_AreRefused_WithOneLine(string body, string? detail)
    {
        using var response = await Post("/api/schedules", body);
        await ApiTests.AssertProblem(response, HttpStatusCode.BadRequest, detail);
    }

    [Test]
    public async Task Queues_PauseAndResume_ShowInQueuesStatsAndPlugins()
    {
        using var submitted = await Post("/api/jobs", """{"task_type": "noop"}""");
        using var paused = await Post("/api/queues/noop/pause?reason=deploy", "");
        var pause = await Json(paused);
        Assert.That((string?)pause["reason"], Is.EqualTo("deploy"));
        Assert.That((string?)pause["paused_by"], Is.EqualTo("mediaworker-api"));
        Assert.That((bool?)pause["newly_paused"], Is.True);

        var queues = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/queues"))!["queues"]!.AsArray();
        var noop = queues.Single(q => (string?)q!["task_type"] == "noop")!;
        Assert.That((bool?)noop["paused"], Is.True);
        Assert.That((long?)noop["by_status"]!["queued"], Is.EqualTo(1));
        var stats = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/stats"))!;
        Assert.That(stats["paused_queues"]!.AsArray().Select(t => (string?)t), Is.EqualTo(new[] { "noop" }));

        using var resumed = await Post("/api/queues/noop/resume", "");
        Assert.That((bool?)(await Json(resumed))["paused"], Is.False);
        using var again = await Post("/api/queues/noop/resume", "");
        await ApiTests.AssertProblem(again, HttpStatusCode.Conflict, "Task type 'noop' is not paused; nothing to resume.");
        stats = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/stats"))!;
        Assert.That(stats["paused_queues"]!.AsArray(), Is.Empty);
    }

    private async Task<HttpResponseMessage> Post(string path, string body) =>
        await _host.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<JsonObject> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
}
