using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using MediaWorker.Tests.Webhooks.Support;
using MediaWorker.Webhooks;
using NUnit.Framework;

namespace MediaWorker.Tests.Execution;

/// <summary>
/// What sits above the store, end to end on PostgreSQL: one real worker process on
/// <c>DATABASE_URL=postgresql://…</c> with its HTTP API on, driven through that API and the CLI.
/// A webhook reaches a real HTTP receiver signed, a two-step pipeline completes in order, and a
/// schedule's occurrences fire once each.
/// </summary>
[NonParallelizable]
public sealed class PostgresEndToEndTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private DaemonEnvironment _env = null!;
    private WebhookReceiver _receiver = null!;
    private WorkerProcess _worker = null!;
    private HttpClient _api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _receiver = new WebhookReceiver();
        _env = new DaemonEnvironment(StoreKind.Postgres);
        var port = FreePort.Next();
        _env.Environment["HTTP_LISTEN"] = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
        _env.Environment["WEBHOOK_ALLOWED_URL_PREFIXES"] = _receiver.BaseUrl;
        _env.Environment["WORKER_CONCURRENCY"] = "2";
        _worker = _env.StartWorker("pg-e2e");
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = Wait };
        Assert.That(await DaemonEnvironment.EventuallyAsync(IsReady, TimeSpan.FromSeconds(60)), Is.True, "the worker serves /readyz on PostgreSQL\n" + _worker.OutputText);
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _api.Dispose();
        _worker.Dispose();
        _env.Dispose();
        _receiver.Dispose();
    }

    [Test]
    public async Task AJobsWebhook_ReachesARealReceiver_Signed_AndTheDeliveryLogSaysSo()
    {
        string endpointId;
        using (var db = _env.OpenStore())
        {
            endpointId = new WebhookActions(db, new UrlAllowList([_receiver.BaseUrl]), NowMs).Add(_receiver.BaseUrl + "hooks", Secret, "completed", null).Id;
        }

        var jobId = await SubmitAsync("""{"task_type": "noop"}""");

        var got = (await _receiver.WaitForAsync(1, Wait, w => w.JobId == jobId)).SingleOrDefault();
        Assert.That(got, Is.Not.Null, _worker.OutputText);
        Assert.That(got!.Path, Is.EqualTo("/hooks"));
        Assert.That((string?)got.Json["type"], Is.EqualTo("job.completed"));
        Assert.That(await IndependentVerifier.VerifyAsync(Secret, got.Id, got.Timestamp, got.Body, got.Signature), Is.True, got.Signature);

        JsonArray? deliveries = null;
        Assert.That(
            await DaemonEnvironment.EventuallyAsync(() => (string?)(deliveries = _api.GetFromJsonAsync<JsonArray>($"api/webhooks/{endpointId}/deliveries").GetAwaiter().GetResult())!.Single()!["status"] == "completed", Wait),
            Is.True,
            deliveries?.ToJsonString());
        Assert.That((string?)deliveries!.Single()!["delivery_id"], Is.EqualTo(got.Id));
    }

    [Test]
    public async Task ATwoStepPipeline_RunsItsStepsInOrder_AndCompletes()
    {
        using var stored = await PostAsync("api/pipelines", """
            {"name": "pair", "steps": [
              {"name": "first", "task": "sleep", "params": {"seconds": 0.2}},
              {"name": "second", "task": "noop", "needs": "first"}
            ]}
            """);
        Assert.That(stored.StatusCode, Is.EqualTo(HttpStatusCode.Created), await stored.Content.ReadAsStringAsync());
        using var started = await PostAsync("api/pipelines/pair/runs", """{"input": {}}""");
        var startedText = await started.Content.ReadAsStringAsync();
        Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.Created), startedText);
        var runId = (string)JsonNode.Parse(startedText)!["run_id"]!;

        JsonObject? run = null;
        Assert.That(
            await DaemonEnvironment.EventuallyAsync(() => (string?)(run = _api.GetFromJsonAsync<JsonObject>($"api/pipeline-runs/{runId}").GetAwaiter().GetResult())!["status"] == "completed", Wait),
            Is.True,
            run?.ToJsonString() + "\n" + _worker.OutputText);
        var steps = run!["steps"]!.AsArray().ToDictionary(s => (string)s!["step"]!, s => s!);
        Assert.That(steps.Values.Select(s => (string?)s["status"]), Is.All.EqualTo("completed"));
        Assert.That((long)steps["second"]["started_at"]!, Is.GreaterThanOrEqualTo((long)steps["first"]["completed_at"]!), "second needs first");
    }

    [Test]
    public async Task AScheduleEverySecond_FiresEachOccurrenceOnce()
    {
        using var added = await PostAsync("api/schedules", """{"name": "tick", "cron": "* * * * * *", "target": {"kind": "job", "task_type": "noop"}}""");
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created), await added.Content.ReadAsStringAsync());
        using var db = _env.OpenStore();
        long Fired() => db.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE created_by = 'schedule:tick' AND status = 'completed'");
        Assert.That(await DaemonEnvironment.EventuallyAsync(() => Fired() >= 3, Wait), Is.True, _worker.OutputText);
        using var paused = await PostAsync("api/schedules/tick/pause", "");
        Assert.That(paused.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var keys = db.Query<string>("SELECT idempotency_key FROM jobs WHERE created_by = 'schedule:tick'").ToList();
        Assert.That(keys, Is.Unique, "one job per occurrence");
        Assert.That(keys, Has.All.StartsWith("schedule:tick@"));
    }

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private bool IsReady()
    {
        try
        {
            using var response = _api.GetAsync("readyz").GetAwaiter().GetResult();
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        _api.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<string> SubmitAsync(string body)
    {
        using var response = await PostAsync("api/jobs", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
        return (string)JsonNode.Parse(text)!["job_id"]!;
    }
}
