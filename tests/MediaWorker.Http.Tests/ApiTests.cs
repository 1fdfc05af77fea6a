using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.Storage;
using MediaWorker.Testing;
using Npgsql;
using NUnit.Framework;

namespace MediaWorker.Http.Tests;

/// <summary>Every endpoint of the JSON API and its errors, through a real Kestrel on loopback, no worker, on both stores.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class ApiTests(StoreKind store)
{
    private OpsHost _host = null!;

    [SetUp]
    public async Task SetUp() => _host = await OpsHost.StartAsync(store: store);

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [Test]
    public async Task Submit_ReturnsTheNewJob_AndGetShowsIt()
    {
        using var response = await PostJson("/api/jobs", """{"task_type": "sleep", "params": {"seconds": 2}, "priority": 7, "max_retries": 1}""");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var job = await Json(response);
        var id = (string)job["job_id"]!;
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/jobs/{id}"));
        Assert.That((string?)job["status"], Is.EqualTo("queued"));

        var got = await _host.Client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}");
        Assert.That((int)got!["priority"]!, Is.EqualTo(7));
        Assert.That((int)got["max_retries"]!, Is.EqualTo(1));
        Assert.That((double)got["params"]!["seconds"]!, Is.EqualTo(2));
        Assert.That((string?)got["created_by"], Is.EqualTo("mediaworker-api"));
    }

    [Test]
    public async Task Submit_WithAnEarlierIdempotencyKey_ReturnsTheFirstJob()
    {
        using var first = await PostJson("/api/jobs", """{"task_type": "noop", "idempotency_key": "order-42"}""");
        using var again = await PostJson("/api/jobs", """{"task_type": "noop"}""", ("Idempotency-Key", "order-42"));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(again.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
        Assert.That((string?)(await Json(again))["job_id"], Is.EqualTo((string?)(await Json(first))["job_id"]));
    }

    [TestCase("""{"task_type": "noop", "max_retries": -1}""", "--max-retries must be 0 or more.")]
    [TestCase("""{"task_type": "noop", "run_after": "soon"}""", "--run-after: 'soon' is not a duration; use e.g. 90s, 15m, 2h or 7d.")]
    [TestCase("""{"task_type": "noop", "params": [1]}""", "params must be a JSON object, e.g. {\"seconds\": 1}.")]
    [TestCase("""{"params": {}}""", "task_type is missing; give one such as noop, sleep or image_resize.")]
    [TestCase("""{"task_type": "noop", "priority": "high"}""", "priority must be a whole number; got \"high\".")]
    [TestCase("""[1, 2]""", "The request body must be a JSON object such as {\"task_type\": \"noop\", \"params\": {}}.")]
    public async Task Submit_RefusesBadRequests_WithTheCliMessage(string body, string detail)
    {
        using var response = await PostJson("/api/jobs", body);
        await AssertProblem(response, HttpStatusCode.BadRequest, detail);
        Assert.That(await CountJobs(), Is.Zero);
    }

    [Test]
    public async Task Submit_RefusesInvalidJson()
    {
        using var response = await PostJson("/api/jobs", "{\"task_type\": ");
        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, null);
        Assert.That((string?)problem["detail"], Does.StartWith("The request body is not valid JSON"));
    }

    [Test]
    public async Task Submit_RefusesABodyOverTheLimit()
    {
        var big = new string('x', 2 * 1024 * 1024);
        using var response = await PostJson("/api/jobs", "{\"task_type\": \"noop\", \"params\": {\"blob\": \"" + big + "\"}}");
        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "The request body is larger than HTTP_MAX_BODY_BYTES allows.");
        Assert.That(await CountJobs(), Is.Zero);
    }

    [Test]
    public async Task Get_AnUnknownJob_IsANotFoundProblem_WithTheCliMessage()
    {
        using var response = await _host.Client.GetAsync("/api/jobs/nope");
        await AssertProblem(response, HttpStatusCode.NotFound, $"No job 'nope' in {_host.Settings.Store.Location}.");
    }

    [Test]
    public async Task Cancel_CancelsAQueuedJob_AndRefusesAFinishedOne()
    {
        var id = await Submit("""{"task_type": "sleep", "params": {"seconds": 5}}""");
        using var cancelled = await _host.Client.PostAsync($"/api/jobs/{id}/cancel", null);
        Assert.That(cancelled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)(await Json(cancelled))["result"], Is.EqualTo("cancelled"));
        Assert.That(await Status(id), Is.EqualTo("cancelled"));

        using var again = await _host.Client.PostAsync($"/api/jobs/{id}/cancel", null);
        await AssertProblem(again, HttpStatusCode.Conflict, $"Job '{id}' has already finished (cancelled); nothing to cancel.");
        using var missing = await _host.Client.PostAsync("/api/jobs/nope/cancel", null);
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Cancel_ARunningJob_AsksItsWorkerToStop()
    {
        var id = await Submit("""{"task_type": "sleep", "params": {"seconds": 5}}""");
        using (var connection = _host.OpenDatabase())
        {
            connection.Execute("UPDATE jobs SET status = 'processing', lease_owner = 'w' WHERE job_id = @id", new { id });
        }

        using var response = await _host.Client.PostAsync($"/api/jobs/{id}/cancel", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That((string?)(await Json(response))["result"], Is.EqualTo("cancel_requested"));
        Assert.That((bool)(await Get(id))["cancel_requested"]!, Is.True);
    }

    [Test]
    public async Task Retry_RequeuesACancelledJob_AndRefusesAQueuedOne()
    {
        var id = await Submit("""{"task_type": "noop"}""");
        using var refused = await _host.Client.PostAsync($"/api/jobs/{id}/retry", null);
        await AssertProblem(refused, HttpStatusCode.Conflict, $"Job '{id}' is queued; only failed or cancelled jobs can be retried.");

        (await _host.Client.PostAsync($"/api/jobs/{id}/cancel", null)).Dispose();
        using var retried = await _host.Client.PostAsync($"/api/jobs/{id}/retry", null);
        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)(await Json(retried))["status"], Is.EqualTo("queued"));
    }

    [Test]
    public async Task Purge_DeletesFinishedJobs_AndKeepsTheRest()
    {
        var finished = await Submit("""{"task_type": "noop"}""");
        var queued = await Submit("""{"task_type": "noop"}""");
        (await _host.Client.PostAsync($"/api/jobs/{finished}/cancel", null)).Dispose();
        Directory.CreateDirectory(Path.Combine(_host.Settings.ComputeStorageDirectory, "jobs", finished, "output"));
        await Task.Delay(20);

        using var response = await _host.Client.PostAsync("/api/jobs/purge?older_than=0s", null);
        var body = await Json(response);
        Assert.That((int)body["purged"]!, Is.EqualTo(1));
        Assert.That((int)body["folders"]!, Is.EqualTo(1));
        Assert.That(body["job_ids"]!.AsArray().Select(n => (string?)n), Is.EqualTo(new[] { finished }));
        Assert.That(await Status(queued), Is.EqualTo("queued"));

        using var missing = await _host.Client.PostAsync("/api/jobs/purge", null);
        await AssertProblem(missing, HttpStatusCode.BadRequest, "older_than is missing; e.g. older_than=7d.");
        using var bad = await _host.Client.PostAsync("/api/jobs/purge?older_than=7x", null);
        await AssertProblem(bad, HttpStatusCode.BadRequest, "older_than: '7x' has an unknown unit 'x'; use s, m, h or d.");
    }

    [Test]
    public async Task List_FiltersByStatusTaskTypeAndCreationTime()
    {
        var a = await Submit("""{"task_type": "noop"}""");
        var b = await Submit("""{"task_type": "sleep", "params": {"seconds": 1}}""");
        var c = await Submit("""{"task_type": "sleep", "params": {"seconds": 1}}""");
        (await _host.Client.PostAsync($"/api/jobs/{c}/cancel", null)).Dispose();
        var createdB = (long)(await Get(b))["created_at"]!;

        Assert.That(await ListIds("status=queued"), Is.EqualTo(new[] { b, a }));
        Assert.That(await ListIds("task_type=sleep"), Is.EqualTo(new[] { c, b }));
        Assert.That(await ListIds("status=cancelled&task_type=sleep"), Is.EqualTo(new[] { c }));
        Assert.That(await ListIds($"created_from={createdB}&task_type=sleep&status=queued"), Is.EqualTo(new[] { b }));
        Assert.That(await ListIds($"created_until={Uri.EscapeDataString(DateTimeOffset.FromUnixTimeMilliseconds(createdB).ToString("O"))}"), Does.Not.Contain(b));

        using var badStatus = await _host.Client.GetAsync("/api/jobs?status=done");
        await AssertProblem(badStatus, HttpStatusCode.BadRequest, "status: 'done' is not one of queued, processing, completed, failed, cancelled.");
        using var badLimit = await _host.Client.GetAsync("/api/jobs?limit=0");
        await AssertProblem(badLimit, HttpStatusCode.BadRequest, "limit: 0 is not from 1 to 1000.");
        using var badTime = await _host.Client.GetAsync("/api/jobs?created_from=yesterday");
        await AssertProblem(badTime, HttpStatusCode.BadRequest, "created_from: 'yesterday' is not a time; use epoch milliseconds or ISO 8601 such as 2026-12-01T10:00:00Z.");
    }

    [Test]
    public async Task List_PagesThroughTenThousandJobs_EachOnceNewestFirst()
    {
        using (var connection = _host.OpenDatabase())
        {
            JobSubmitter.InsertMany(connection, Enumerable.Range(0, 10_000).Select(i => new NewJob(i % 2 == 0 ? "noop" : "sleep", "{}")), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await _host.Client.GetFromJsonAsync<JsonObject>($"/api/jobs?limit=700{(cursor is null ? string.Empty : "&cursor=" + cursor)}");
            seen.AddRange(page!["jobs"]!.AsArray().Select(j => (long)j!["id"]!));
            cursor = page["next_cursor"]?.ToString();
            pages++;
        }
        while (cursor is not null && pages < 100);

        Assert.That(seen, Has.Count.EqualTo(10_000));
        Assert.That(seen, Is.Unique);
        Assert.That(seen, Is.Ordered.Descending);
        Assert.That(pages, Is.EqualTo(15)); // 14 full pages of 700, and a last of 200

        var sleeps = 0;
        cursor = null;
        do
        {
            var page = await _host.Client.GetFromJsonAsync<JsonObject>($"/api/jobs?task_type=sleep&limit=1000{(cursor is null ? string.Empty : "&cursor=" + cursor)}");
            sleeps += page!["jobs"]!.AsArray().Count;
            cursor = page["next_cursor"]?.ToString();
        }
        while (cursor is not null);

        Assert.That(sleeps, Is.EqualTo(5_000));
    }

    [Test]
    public async Task Plugins_ListTheTasksWithTheirParameterSchemas()
    {
        var report = await _host.Client.GetFromJsonAsync<JsonObject>("/api/plugins");
        var tasks = report!["plugins"]!.AsArray().SelectMany(p => p!["tasks"]!.AsArray()).ToList();
        var sleep = tasks.Single(t => (string?)t!["task_type"] == "sleep")!;
        Assert.That(sleep["parameter_schema"]!["properties"]!["seconds"], Is.Not.Null);
        Assert.That(tasks.Select(t => (string?)t!["task_type"]), Does.Contain("noop"));
        Assert.That(report["failures"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Stats_CountJobsByStatusAndTaskType()
    {
        await Submit("""{"task_type": "noop"}""");
        var cancelled = await Submit("""{"task_type": "noop"}""");
        await Submit("""{"task_type": "sleep", "params": {"seconds": 1}}""");
        (await _host.Client.PostAsync($"/api/jobs/{cancelled}/cancel", null)).Dispose();

        var stats = await _host.Client.GetFromJsonAsync<JsonObject>("/api/stats");
        Assert.That((long)stats!["by_status"]!["queued"]!, Is.EqualTo(2));
        Assert.That((long)stats["by_status"]!["cancelled"]!, Is.EqualTo(1));
        var byTask = stats["by_task"]!.AsArray().Select(r => $"{r!["task_type"]}/{r["status"]}={r["count"]}").ToList();
        Assert.That(byTask, Is.EquivalentTo(new[] { "noop/cancelled=1", "noop/queued=1", "sleep/queued=1" }));
        var minute = stats["finished_per_minute"]!.AsArray().Single()!;
        Assert.That((long)minute["cancelled"]!, Is.EqualTo(1));
        Assert.That((long?)stats["oldest_queued_ms"], Is.GreaterThanOrEqualTo(0));
    }

    [Test]
    public async Task Files_AreListedAndServed_OnlyFromInsideTheJobsOutputFolder()
    {
        var id = await Submit("""{"task_type": "noop"}""");
        var output = Path.Combine(_host.Settings.ComputeStorageDirectory, "jobs", id, "output");
        Directory.CreateDirectory(Path.Combine(output, "frames"));
        await File.WriteAllTextAsync(Path.Combine(output, "frames", "one.txt"), "hello");
        var secret = Path.Combine(_host.Directory, "secret.txt");
        await File.WriteAllTextAsync(secret, "not for you");
        File.CreateSymbolicLink(Path.Combine(output, "link.txt"), secret);

        var listing = await _host.Client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}/files");
        var paths = listing!["files"]!.AsArray().Select(f => (string?)f!["path"]).ToList();
        Assert.That(paths, Does.Contain("frames/one.txt"));
        Assert.That(paths, Does.Not.Contain("link.txt"));

        var url = (string)listing["files"]!.AsArray().Single(f => (string?)f!["path"] == "frames/one.txt")!["url"]!;
        Assert.That(await _host.Client.GetStringAsync(url), Is.EqualTo("hello"));
        foreach (var escape in new[] { "link.txt", "..%2F..%2F..%2F..%2Fsecret.txt", "../../../../secret.txt", "%2Fetc%2Fpasswd" })
        {
            using var response = await _host.Client.GetAsync($"/api/jobs/{id}/files/{escape}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), escape);
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("not for you"), escape);
        }
    }

    [Test]
    public async Task OpenApiDocument_DescribesTheEndpoints()
    {
        var document = await _host.Client.GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        var paths = document!["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.That(paths, Is.SupersetOf(new[] { "/api/jobs", "/api/jobs/{jobId}", "/api/jobs/{jobId}/cancel", "/api/jobs/{jobId}/retry", "/api/jobs/purge", "/api/plugins", "/api/workers", "/api/stats", "/api/events", "/healthz", "/readyz" }));
    }

    [Test]
    public async Task Health_IsLive_AndReadyWithAWritableDatabaseAndLoadedPlugins()
    {
        Assert.That((await _host.Client.GetAsync("/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var ready = await _host.Client.GetFromJsonAsync<JsonObject>("/readyz");
        Assert.That((string?)ready!["status"], Is.EqualTo("ready"));
        Assert.That((string?)ready["database"], Is.EqualTo("writable"));
    }

    [Test]
    public async Task Health_IsNotReady_WhileTheDatabaseRefusesWrites()
    {
        if (store == StoreKind.Sqlite)
        {
            // Another connection holds the write lock: not ready, with the reason.
            using var connection = _host.OpenDatabase();
            using var transaction = WriteTransaction.Begin(connection);
            using var blocked = await _host.Client.GetAsync("/readyz");
            Assert.That(blocked.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That((string?)(await Json(blocked))["database"], Does.StartWith("not writable"));
            return;
        }

        // The database turned read-only (as a standby is): new sessions may not write.
        var database = new NpgsqlConnectionStringBuilder(_host.Settings.Store.PostgresConnectionString).Database;
        using var admin = new NpgsqlConnection(PostgresServer.Shared.ConnectionString("postgres"));
        admin.Open();
        admin.Execute($"ALTER DATABASE {database} SET default_transaction_read_only = on");
        NpgsqlConnection.ClearAllPools();
        using (var readOnly = await _host.Client.GetAsync("/readyz"))
        {
            Assert.That(readOnly.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That((string?)(await Json(readOnly))["database"], Is.EqualTo("not writable: the server accepts reads only (a standby, or default_transaction_read_only is on)"));
        }

        admin.Execute($"ALTER DATABASE {database} RESET default_transaction_read_only");
        NpgsqlConnection.ClearAllPools();
        using var again = await _host.Client.GetAsync("/readyz");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), await again.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task UnknownPaths_AreNotFoundProblems()
    {
        using var response = await _host.Client.GetAsync("/api/nothing");
        await AssertProblem(response, HttpStatusCode.NotFound, "There is no /api/nothing here; the API is described at /openapi/v1.json.");
    }

    private async Task<HttpResponseMessage> PostJson(string path, string body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return await _host.Client.SendAsync(request);
    }

    private async Task<string> Submit(string body)
    {
        using var response = await PostJson("/api/jobs", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (string)(await Json(response))["job_id"]!;
    }

    private async Task<JsonObject> Get(string id) => (await _host.Client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}"))!;

    private async Task<string?> Status(string id) => (string?)(await Get(id))["status"];

    private async Task<List<string>> ListIds(string query) =>
        (await _host.Client.GetFromJsonAsync<JsonObject>($"/api/jobs?{query}"))!["jobs"]!.AsArray().Select(j => (string)j!["job_id"]!).ToList();

    private async Task<long> CountJobs()
    {
        using var connection = _host.OpenDatabase();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs");
    }

    private static async Task<JsonObject> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    internal static async Task<JsonObject> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string? detail)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.That((int)problem["status"]!, Is.EqualTo((int)status));
        if (detail is not null)
        {
            Assert.That((string?)problem["detail"], Is.EqualTo(detail));
        }

        return problem;
    }
}
