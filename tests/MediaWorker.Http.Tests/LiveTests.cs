using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MediaWorker.Configuration;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Http.Tests;

/// <summary>The token rules, the live stream, the heartbeat table and /metrics, with real worker processes (on both stores where the store matters).</summary>
public sealed class LiveTests
{
    private const string Token = "test-token-0123456789abcdef";

    [Test]
    public async Task WithAToken_EveryEndpointButHealthzAndThePageNeedsIt()
    {
        await using var host = await OpsHost.StartAsync(s => s["API_TOKEN"] = Token);
        using var anonymous = new HttpClient { BaseAddress = host.Server.Address };
        foreach (var path in new[] { "/api/jobs", "/api/stats", "/api/workers", "/api/plugins", "/api/events", "/metrics", "/readyz", "/openapi/v1.json" })
        {
            using var response = await anonymous.GetAsync(path);
            var problem = await ApiTests.AssertProblem(response, HttpStatusCode.Unauthorized, "This server needs the API token: send the header 'Authorization: Bearer <API_TOKEN>'.");
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"), path);
            Assert.That(problem.ToJsonString(), Does.Not.Contain(Token));
        }

        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/jobs"))
        {
            wrong.Headers.Authorization = new("Bearer", Token + "x");
            Assert.That((await anonymous.SendAsync(wrong)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        using var post = await anonymous.PostAsync("/api/jobs", new StringContent("""{"task_type": "noop"}""", Encoding.UTF8, "application/json"));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await anonymous.GetAsync("/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await anonymous.GetAsync("/")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await anonymous.GetAsync("/dashboard.js")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await host.Client.GetAsync("/api/jobs")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await host.Client.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("0.0.0.0:8780", null, "HTTP_LISTEN: '0.0.0.0:8780' accepts connections from other machines; set API_TOKEN (at least 16 characters) or listen on 127.0.0.1.")]
    [TestCase("127.0.0.1:8780", "short", "API_TOKEN: the token is 5 characters long; use at least 16 (for example: openssl rand -hex 24).")]
    [TestCase("8780", null, "HTTP_LISTEN: '8780' is not allowed: write it as host:port (default 127.0.0.1:8780).")]
    [TestCase("example.org:80", Token, "HTTP_LISTEN: 'example.org:80' is not allowed: 'example.org' is not an IP address (or localhost); give the address of one of this machine's interfaces, or 0.0.0.0 for all (default 127.0.0.1:8780).")]
    public void Settings_RefuseAnOpenBindWithoutAToken_AndBadValues(string listen, string? token, string error)
    {
        var values = new Dictionary<string, string> { ["HTTP_LISTEN"] = listen, ["CL_SERVER_DIR"] = Path.GetTempPath() };
        if (token is not null)
        {
            values["API_TOKEN"] = token;
        }

        var ex = Assert.Throws<SettingsException>(() => WorkerSettings.Load(new SettingsSource(values, _ => null)));
        Assert.That(ex!.Message, Does.Contain(error));
        Assert.That(ex.Message, Does.Not.Contain(token ?? "\u0000"));
    }

    [Test]
    public void Settings_AcceptAnOpenBindWithAToken_AndHideTheToken()
    {
        var settings = WorkerSettings.Load(new SettingsSource(new Dictionary<string, string> { ["HTTP_LISTEN"] = "0.0.0.0:8780", ["API_TOKEN"] = Token, ["CL_SERVER_DIR"] = Path.GetTempPath() }, _ => null));
        Assert.That(settings.Http.ListenExplicit, Is.True);
        Assert.That(settings.Http.ToString(), Does.Not.Contain(Token));
    }

    [TestCase(StoreKind.Sqlite)]
    [TestCase(StoreKind.Postgres)]
    public async Task Stream_DeliversASubmittedJobsLifecycleInOrder_FromTheWorkerInTheSameProcess(StoreKind store)
    {
        await using var host = await OpsHost.StartAsync(withWorker: true, store: store);
        await using var stream = await EventStreamReader.OpenAsync(host.Client);
        var id = await SubmitAsync(host.Client, """{"task_type": "sleep", "params": {"seconds": 1}}""");
        var lifecycle = await stream.LifecycleAsync(id, TimeSpan.FromSeconds(20));
        Assert.That(lifecycle.First(), Is.EqualTo("queued"));
        Assert.That(lifecycle.Where(t => t != "progress"), Is.EqualTo(new[] { "queued", "processing", "completed" }), string.Join(", ", lifecycle));
        Assert.That(lifecycle, Does.Contain("progress"));
    }

    [TestCase(StoreKind.Sqlite)]
    [TestCase(StoreKind.Postgres)]
    public async Task Serve_WithoutAWorker_StreamsAnotherProcesssJobs_AndAKilledWorkerLeavesTheLiveList(StoreKind store)
    {
        await using var host = await OpsHost.StartAsync(store: store);
        await using var stream = await EventStreamReader.OpenAsync(host.Client);
        using var worker = StartWorker(host, "w-killed");
        var joined = await stream.NextAsync("worker", e => (string?)e["worker_id"] == "w-killed", TimeSpan.FromSeconds(30));
        Assert.That((string?)joined["change"], Is.EqualTo("joined"));
        Assert.That((long)joined["pid"]!, Is.EqualTo(worker.Pid));

        var id = await SubmitAsync(host.Client, """{"task_type": "sleep", "params": {"seconds": 1.5}}""");
        var lifecycle = await stream.LifecycleAsync(id, TimeSpan.FromSeconds(20));
        Assert.That(lifecycle.Where(t => t != "progress"), Is.EqualTo(new[] { "queued", "processing", "completed" }), string.Join(", ", lifecycle));

        var workers = await host.Client.GetFromJsonAsync<JsonObject>("/api/workers");
        var row = workers!["workers"]!.AsArray().Single()!;
        Assert.That((string?)row["worker_id"], Is.EqualTo("w-killed"));
        Assert.That((long)row["slots"]!, Is.EqualTo(2));
        Assert.That(row["capabilities"]!.AsArray().Select(c => (string?)c), Does.Contain("sleep"));
        Assert.That((string?)row["host"], Is.EqualTo(Environment.MachineName));

        worker.Kill(); // SIGKILL: no goodbye, the row stays and ages out
        var killedAt = DateTime.UtcNow;
        var left = await stream.NextAsync("worker", e => (string?)e["worker_id"] == "w-killed" && (string?)e["change"] == "left", TimeSpan.FromSeconds(15));
        Assert.That(left, Is.Not.Null);
        Assert.That(DateTime.UtcNow - killedAt, Is.GreaterThan(TimeSpan.FromSeconds(1)), "it is gone after its 2 s timeout, not before");
        var after = await host.Client.GetFromJsonAsync<JsonObject>("/api/workers");
        Assert.That(after!["workers"]!.AsArray(), Is.Empty);
        var all = await host.Client.GetFromJsonAsync<JsonObject>("/api/workers?include_gone=true");
        Assert.That((bool)all!["workers"]!.AsArray().Single()!["live"]!, Is.False);
    }

    [TestCase(StoreKind.Sqlite)]
    [TestCase(StoreKind.Postgres)]
    public async Task AGracefullyStoppedWorker_RemovesItsRowAtOnce(StoreKind store)
    {
        await using var host = await OpsHost.StartAsync(s => s["WORKER_HEARTBEAT_TIMEOUT"] = "60", store: store);
        using var worker = StartWorker(host, "w-stopped");
        await EventuallyAsync(async () => (await host.Client.GetFromJsonAsync<JsonObject>("/api/workers"))!["workers"]!.AsArray().Count == 1, "the worker appears");
        worker.Terminate();
        Assert.That(await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.True);
        var all = await host.Client.GetFromJsonAsync<JsonObject>("/api/workers?include_gone=true");
        Assert.That(all!["workers"]!.AsArray(), Is.Empty);
    }

    [TestCase(StoreKind.Sqlite)]
    [TestCase(StoreKind.Postgres)]
    public async Task Metrics_CountAKnownWorkload(StoreKind store)
    {
        using var temp = new TempDirectory("mw-metrics");
        var port = FreePort.Next();
        var settings = OpsHost.BaseSettings(temp.Path, port);
        settings["WORKER_ID"] = "w-metrics";
        if (store == StoreKind.Postgres)
        {
            settings["DATABASE_URL"] = PostgresServer.Shared.CreateDatabase("metrics");
        }

        using var worker = WorkerProcess.Start(["run"], settings.ToDictionary(p => p.Key, p => (string?)p.Value));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await EventuallyAsync(async () => await IsReadyAsync(client), "run serves /readyz");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await SubmitAsync(client, """{"task_type": "noop"}"""));
        }

        for (var i = 0; i < 2; i++)
        {
            ids.Add(await SubmitAsync(client, """{"task_type": "sleep", "params": {"seconds": -1}, "max_retries": 0}"""));
        }

        await EventuallyAsync(async () => (await client.GetFromJsonAsync<JsonObject>("/api/stats"))!["by_status"]!["queued"]!.GetValue<long>() == 0
            && (await client.GetFromJsonAsync<JsonObject>("/api/stats"))!["by_status"]!["processing"]!.GetValue<long>() == 0, "the workload finishes");
        await Task.Delay(1200); // the queue gauge is read at most once a second

        var metrics = PrometheusText.Parse(await client.GetStringAsync("/metrics"));
        Assert.That(metrics.Value("mediaworker_jobs_finished_total", ("task_type", "noop"), ("outcome", "completed")), Is.EqualTo(5));
        Assert.That(metrics.Value("mediaworker_jobs_finished_total", ("task_type", "sleep"), ("outcome", "failed")), Is.EqualTo(2));
        Assert.That(metrics.Value("mediaworker_job_duration_seconds_count", ("task_type", "noop"), ("outcome", "completed")), Is.EqualTo(5));
        Assert.That(metrics.Value("mediaworker_job_start_latency_seconds_count", ("task_type", "noop")), Is.EqualTo(5));
        Assert.That(metrics.Value("mediaworker_claim_duration_seconds_count"), Is.GreaterThanOrEqualTo(1));
        Assert.That(metrics.Value("mediaworker_queue_depth", ("status", "completed"), ("task_type", "noop")), Is.EqualTo(5));
        Assert.That(metrics.Value("mediaworker_queue_depth", ("status", "failed"), ("task_type", "sleep")), Is.EqualTo(2));
        Assert.That(metrics.Value("mediaworker_slots_free", ("worker_id", "w-metrics")), Is.EqualTo(2));
        Assert.That(metrics.Value("mediaworker_slots_busy", ("worker_id", "w-metrics")), Is.Zero);
        Assert.That(metrics.Value("mediaworker_workers_live"), Is.EqualTo(1));
        Assert.That(metrics.Value("mediaworker_plugins_load_failures"), Is.Zero);
        Assert.That(metrics.Value("mediaworker_database_busy_errors_total"), Is.Zero);
        Assert.That(metrics.Has("mediaworker_mqtt_connected"), Is.False, "absent with BROADCAST_TYPE=noop");
    }

    [Test]
    public async Task JobFollow_PrintsPlainProgressLines_ThenTheFinalRow()
    {
        using var temp = new TempDirectory("mw-follow");
        var settings = OpsHost.BaseSettings(temp.Path, FreePort.Next());
        settings.Remove("HTTP_LISTEN");
        settings["WORKER_ID"] = "w-follow";
        settings["LOG_LEVEL"] = "information";
        var env = settings.ToDictionary(p => p.Key, p => (string?)p.Value);
        using var worker = WorkerProcess.Start(["run"], env);
        Assert.That(await worker.WaitForOutputAsync("Worker w-follow started", TimeSpan.FromSeconds(30)), Is.True, worker.OutputText);
        // Long enough that the follower, a process of its own, starts while the job runs.
        var (submitted, submitOutput) = await WorkerProcess.RunAsync(["submit", "sleep", "--param", "seconds=4"], env);
        Assert.That(submitted, Is.Zero, submitOutput);
        var id = submitOutput.Trim().Split('\n')[^1];
        var (exit, output) = await WorkerProcess.RunAsync(["job", id, "--follow"], env);
        Assert.That(exit, Is.Zero, output);
        var lines = output.Split('\n');
        Assert.That(lines.Any(l => l.StartsWith($"{id} processing", StringComparison.Ordinal)), Is.True, output);
        Assert.That(lines.Any(l => l.StartsWith($"{id} completed 100% 00:0", StringComparison.Ordinal)), Is.True, output);
        Assert.That((string?)JsonNode.Parse(lines.Last(l => l.StartsWith('{')))!["status"], Is.EqualTo("completed"));
    }

    internal static async Task<string> SubmitAsync(HttpClient client, string body)
    {
        using var response = await client.PostAsync("/api/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
        return (string)JsonNode.Parse(text)!["job_id"]!;
    }

    internal static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<bool> IsReadyAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync("/readyz");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static WorkerProcess StartWorker(OpsHost host, string workerId)
    {
        var settings = OpsHost.BaseSettings(host.Directory, 0);
        settings.Remove("HTTP_LISTEN");
        settings["WORKER_ID"] = workerId;
        settings["WORKER_HEARTBEAT_TIMEOUT"] = host.Settings.Heartbeat.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        if (host.PostgresUrl is { } url)
        {
            settings["DATABASE_URL"] = url;
        }
        return WorkerProcess.Start(["run"], settings.ToDictionary(p => p.Key, p => (string?)p.Value));
    }
}
