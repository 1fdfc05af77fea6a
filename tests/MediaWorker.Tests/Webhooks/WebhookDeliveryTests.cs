using Dapper;
using MediaWorker.Storage;
using MediaWorker.Tests.Webhooks.Support;
using MediaWorker.Webhooks;
using MediaWorker.Webhooks.Delivery;
using MediaWorker.Webhooks.Signing;
using NUnit.Framework;

namespace MediaWorker.Tests.Webhooks;

/// <summary>
/// Deliveries end to end: the daemon in-process, a real HTTP receiver on a free loopback port, the
/// signature checked by an independent implementation (openssl), retries on real time.
/// </summary>
public sealed class WebhookDeliveryTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Test]
    public async Task CompletedJob_IsDelivered_Signed_WithTheJobInTheBody()
    {
        using var receiver = new WebhookReceiver();
        await using var worker = new WebhookWorker(receiver.BaseUrl);
        var endpoint = Actions(worker).Add(receiver.BaseUrl + "hooks", Secret, "completed", null);
        await worker.StartAsync();
        var jobId = worker.Submit("noop");

        var got = (await receiver.WaitForAsync(1, Wait)).Single();
        Assert.That(got.Path, Is.EqualTo("/hooks"));
        Assert.That(await IndependentVerifier.VerifyAsync(Secret, got.Id, got.Timestamp, got.Body, got.Signature), Is.True, got.Signature);
        Assert.That(await IndependentVerifier.VerifyAsync("whsec_" + Convert.ToBase64String(new byte[24]), got.Id, got.Timestamp, got.Body, got.Signature), Is.False, "a wrong secret fails");
        Assert.That(long.Parse(got.Timestamp, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).Within(30));
        var data = got.Json["data"]!;
        Assert.That(got.Json["type"]!.GetValue<string>(), Is.EqualTo("job.completed"));
        Assert.That(data["job_id"]!.GetValue<string>(), Is.EqualTo(jobId));
        Assert.That(data["task_type"]!.GetValue<string>(), Is.EqualTo("noop"));
        Assert.That(data["status"]!.GetValue<string>(), Is.EqualTo("completed"));
        Assert.That(data["attempt"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(data["output"]!.ToJsonString(), Is.EqualTo("{}"));
        Assert.That(data["completed_at"]!.GetValue<long>(), Is.GreaterThan(0));

        Assert.That(await WebhookWorker.EventuallyAsync(() => Actions(worker).Deliveries(endpoint.Id, 10).Single().Status == JobStatus.Completed, Wait), Is.True);
        var log = Actions(worker).Deliveries(endpoint.Id, 10).Single();
        Assert.That((log.DeliveryId, log.LastCode, log.Attempts, log.Event), Is.EqualTo((got.Id, (int?)200, 1L, "completed")));
        Assert.That(worker.Logs.Entries.Select(e => e.Message), Has.None.Contains(Secret[6..]), "the secret is never logged");
    }

    [Test]
    public async Task RotatedSecret_SignsWithBothSecrets()
    {
        const string next = "whsec_c2Vjb25kLXNlY3JldC1mb3ItdGhlLWVuZHBvaW50";
        using var receiver = new WebhookReceiver();
        await using var worker = new WebhookWorker(receiver.BaseUrl);
        var endpoint = Actions(worker).Add(receiver.BaseUrl, Secret, "completed", null);
        Assert.That(Actions(worker).Rotate(endpoint.Id, next).Rotating, Is.True);
        await worker.StartAsync();
        worker.Submit("noop");

        var got = (await receiver.WaitForAsync(1, Wait)).Single();
        Assert.That(got.Signature.Split(' '), Has.Length.EqualTo(2));
        Assert.That(await IndependentVerifier.VerifyAsync(next, got.Id, got.Timestamp, got.Body, got.Signature), Is.True, "the new secret");
        Assert.That(await IndependentVerifier.VerifyAsync(Secret, got.Id, got.Timestamp, got.Body, got.Signature), Is.True, "the previous secret");
        Assert.That(got.Signature.Split(' ')[0], Is.EqualTo(WebhookSigner.Sign(got.Id, long.Parse(got.Timestamp, System.Globalization.CultureInfo.InvariantCulture), System.Text.Encoding.UTF8.GetBytes(got.Body), [next])));
    }

    [Test]
    public async Task ServerError_IsRetried_HonouringRetryAfter_ThenDelivered_WithTheSameId()
    {
        using var receiver = new WebhookReceiver();
        var calls = 0;
        receiver.Answer = _ => Interlocked.Increment(ref calls) == 1
            ? new ReceiverAnswer(500, "database is locked", new Dictionary<string, string> { ["Retry-After"] = "2" })
            : ReceiverAnswer.Ok;
        await using var worker = new WebhookWorker(receiver.BaseUrl);
        var endpoint = Actions(worker).Add(receiver.BaseUrl, Secret, "completed", null);
        await worker.StartAsync();
        worker.Submit("noop");

        var got = await receiver.WaitForAsync(2, Wait);
        Assert.That(got, Has.Count.EqualTo(2));
        Assert.That(got[1].Id, Is.EqualTo(got[0].Id), "the same webhook-id on every attempt");
        Assert.That(got[1].Body, Is.EqualTo(got[0].Body));
        Assert.That(got[1].At - got[0].At, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9)), "Retry-After: 2 (the schedule alone would wait under 0.2 s)");
        Assert.That(await WebhookWorker.EventuallyAsync(() => Actions(worker).Deliveries(endpoint.Id, 1)[0].Status == JobStatus.Completed, Wait), Is.True);
        Assert.That(Actions(worker).Deliveries(endpoint.Id, 1)[0].Attempts, Is.EqualTo(2));
    }

    [Test]
    public async Task ClientError_IsNotRetried_AndTheLogKeepsCodeAndBody()
    {
        using var receiver = new WebhookReceiver { Answer = _ => new ReceiverAnswer(400, "unknown field 'job_id'" + new string('x', 5000)) };
        await using var worker = new WebhookWorker(receiver.BaseUrl);
        var endpoint = Actions(worker).Add(receiver.BaseUrl, Secret, "completed", null);
        await worker.StartAsync();
        worker.Submit("noop");

        Assert.That(await WebhookWorker.EventuallyAsync(() => Actions(worker).Deliveries(endpoint.Id, 1) is [{ Status: JobStatus.Failed }], Wait), Is.True);
        await Task.Delay(500);
        var log = Actions(worker).Deliveries(endpoint.Id, 1)[0];
        Assert.That(receiver.Received, Has.Count.EqualTo(1));
        Assert.That((log.LastCode, log.Attempts), Is.EqualTo(((int?)400, 1L)));
        Assert.That(log.Error, Does.StartWith($"HTTP 400 from {receiver.BaseUrl}: unknown field 'job_id'xxx"));
        Assert.That(log.Error!.Length, Is.LessThan(DeliveryResult.ExcerptBytes + 200), "only an excerpt of the body is read");
        Assert.That(WebhookEndpointStore(worker, endpoint.Id).DisabledAt, Is.Null);
    }

    [Test]
    public async Task Gone_FailsAtOnce_AndDisablesTheEndpoint()
    {
        using var receiver = new WebhookReceiver { Answer = _ => new ReceiverAnswer(410, "unsubscribed") };
        await using var worker = new WebhookWorker(receiver.BaseUrl);
        var endpoint = Actions(worker).Add(receiver.BaseUrl, Secret, null, null);
        await worker.StartAsync();
        var jobId = worker.Submit("noop");

        Assert.That(await WebhookWorker.EventuallyAsync(() => WebhookEndpointStore(worker, endpoint.Id).DisabledAt is not null, Wait), Is.True);
        Assert.That(await WebhookWorker.EventuallyAsync(() => Actions(worker).Deliveries(endpoint.Id, 10).All(d => d.Status is JobStatus.Failed), Wait), Is.True);
        Assert.That(receiver.Received, Has.Count.EqualTo(1), "the processing event got 410; the completed event behind it is not sent");
        var completed = Actions(worker).Deliveries(endpoint.Id, 10).Single(d => d.Event == "completed");
        Assert.That(completed.Error, Does.Contain("is disabled (The endpoint answered 410 Gone.)"));
        Assert.That(worker.Row(jobId).Status, Is.EqualTo(JobStatus.Completed));
    }

    [Test]
    public async Task Redirect_IsNotFollowed()
    {
        using var elsewhere = new WebhookReceiver();
        using var receiver = new WebhookReceiver { Answer = _ => new ReceiverAnswer(307, string.Empty, new Dictionary<string, string> { ["Location"] = elsewhere.BaseUrl }) };
        await using var worker = new WebhookWorker(receiver.BaseUrl + "," + elsewhere.BaseUrl);
        var endpoint = Actions(worker).Add(receiver.BaseUrl, Secret, "completed", null);
        await worker.StartAsync();
        worker.Submit("noop");

        Assert.That(await WebhookWorker.EventuallyAsync(() => Actions(worker).Deliveries(endpoint.Id, 1) is [{ Status: JobStatus.Failed }], Wait), Is.True);
        Assert.That(Actions(worker).Deliveries(endpoint.Id, 1)[0].Error, Does.Contain("HTTP 307").And.Contain("redirects are not followed"));
        Assert.That(elsewhere.Received, Is.Empty);
    }

    [Test]
    public async Task UrlThatLeftTheAllowList_FailsWithTheRule_WithoutARequest()
    {
        using var receiver = new WebhookReceiver();
        await using var worker = new WebhookWorker("http://127.0.0.1:1/only-this/");
        var endpoint = new WebhookActions(worker.Connection, new UrlAllowList([receiver.BaseUrl]), () => WebhookWorker.NowMs).Add(receiver.BaseUrl, Secret, "completed", null);
        await worker.StartAsync();
        worker.Submit("noop");

        Assert.That(await WebhookWorker.EventuallyAsync(() => Actions(worker).Deliveries(endpoint.Id, 1) is [{ Status: JobStatus.Failed }], Wait), Is.True);
        Assert.That(Actions(worker).Deliveries(endpoint.Id, 1)[0].Error, Does.Contain("starts with none of WEBHOOK_ALLOWED_URL_PREFIXES"));
        Assert.That(receiver.Received, Is.Empty);
    }

    [Test]
    public async Task ReceiverDownForTenSeconds_LosesNothing_AndKeepsEachJobsOrder()
    {
        using var receiver = new WebhookReceiver();
        await using var worker = new WebhookWorker(receiver.BaseUrl);
        Actions(worker).Add(receiver.BaseUrl, Secret, "processing,completed", null);
        await worker.StartAsync();
        receiver.Stop();
        var jobs = Enumerable.Range(0, 20).Select(_ => worker.Submit("noop")).ToList();
        Assert.That(await WebhookWorker.EventuallyAsync(() => jobs.All(j => worker.Row(j).Status == JobStatus.Completed), Wait), Is.True);
        await Task.Delay(TimeSpan.FromSeconds(10));
        var failedWhileDown = worker.Connection.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE task_type = 'webhook_delivery' AND attempts > 0");
        receiver.Start();

        var got = await receiver.WaitForAsync(40, TimeSpan.FromSeconds(60), r => r.JobId is not null);
        Assert.That(failedWhileDown, Is.GreaterThan(0), "deliveries were tried while the receiver was down");
        Assert.That(got.Select(r => (r.JobId, r.Event)).Distinct().Count(), Is.EqualTo(40), "every event of every job arrived");
        foreach (var job in jobs)
        {
            var events = got.Where(r => r.JobId == job).Select(r => r.Event).Distinct().ToList();
            Assert.That(events, Is.EqualTo(new[] { "processing", "completed" }), job);
        }
    }

    [Test]
    public async Task SlowEarlierDelivery_IsNeverOvertakenByALaterEventOfTheSameJob()
    {
        using var receiver = new WebhookReceiver();
        var processingAnswers = 0;
        receiver.Answer = r => r.Event == "processing" && Interlocked.Increment(ref processingAnswers) <= 3 ? new ReceiverAnswer(503, "warming up") : ReceiverAnswer.Ok;
        await using var worker = new WebhookWorker(receiver.BaseUrl);
        Actions(worker).Add(receiver.BaseUrl, Secret, null, null);
        await worker.StartAsync();
        var jobId = worker.Submit("noop");

        var got = await receiver.WaitForAsync(5, Wait);
        Assert.That(got.Select(r => r.Event), Is.EqualTo(new[] { "processing", "processing", "processing", "processing", "completed" }));
        Assert.That(worker.Row(jobId).Status, Is.EqualTo(JobStatus.Completed), "the job itself never waited for its webhooks");
    }

    [Test]
    public async Task JobsOwnWebhookUrl_GetsHowItEnded_SignedWithTheJobSecret()
    {
        const string jobSecret = "per-job-callback-secret-0123456789";
        using var receiver = new WebhookReceiver();
        await using var worker = new WebhookWorker(receiver.BaseUrl, settings: new Dictionary<string, string> { ["WEBHOOK_JOB_SECRET"] = jobSecret });
        await worker.StartAsync();
        var jobId = JobSubmitter.Submit(worker.Connection, new NewJob("noop", "{}") { WebhookUrl = receiver.BaseUrl + "callback/7" }, WebhookWorker.NowMs).JobId;

        var got = (await receiver.WaitForAsync(1, Wait)).Single();
        Assert.That((got.Path, got.Event, got.JobId), Is.EqualTo(("/callback/7", "completed", jobId)));
        Assert.That(await IndependentVerifier.VerifyAsync(jobSecret, got.Id, got.Timestamp, got.Body, got.Signature), Is.True);
    }

    [Test]
    public async Task TestEvent_GoesThroughTheQueue()
    {
        using var receiver = new WebhookReceiver();
        await using var worker = new WebhookWorker(receiver.BaseUrl);
        var endpoint = Actions(worker).Add(receiver.BaseUrl, Secret, "completed", null);
        await worker.StartAsync();
        var deliveryId = Actions(worker).Test(endpoint.Id);

        var got = (await receiver.WaitForAsync(1, Wait)).Single();
        Assert.That((got.Id, got.Json["type"]!.GetValue<string>()), Is.EqualTo((deliveryId, "webhook.test")));
    }

    private static WebhookActions Actions(WebhookWorker worker) => new(worker.Connection, worker.Settings.Webhooks.AllowedUrls, () => WebhookWorker.NowMs);

    private static MediaWorker.Webhooks.Subscriptions.WebhookEndpoint WebhookEndpointStore(WebhookWorker worker, string id) =>
        MediaWorker.Webhooks.Subscriptions.WebhookEndpointStore.Find(worker.Connection, id)!;
}
