using MediaWorker.Storage;
using MediaWorker.Tests.Support;
using MediaWorker.Tests.Webhooks.Support;
using MediaWorker.Webhooks;
using MediaWorker.Webhooks.Subscriptions;
using NUnit.Framework;

namespace MediaWorker.Tests.Webhooks;

/// <summary>
/// A delivery is a job: a worker process SIGKILLed while its request is in flight leaves the
/// delivery claimable, and the next worker sends it again with the same webhook-id and body, so a
/// receiver that de-duplicates on webhook-id sees the event once.
/// </summary>
public sealed class WebhookCrashTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    [Test]
    public async Task WorkerKilledMidDelivery_DeliversAgain_WithTheSameWebhookId()
    {
        using var receiver = new WebhookReceiver();
        var release = new TaskCompletionSource();
        var first = true;
        // The first request is held open, so the worker is killed with the request in flight.
        receiver.Answer = _ => Interlocked.Exchange(ref first, false) ? ReceiverAnswer.Ok with { Hold = release.Task } : ReceiverAnswer.Ok;
        using var env = new DaemonEnvironment();
        env.Environment["WEBHOOK_ALLOWED_URL_PREFIXES"] = receiver.BaseUrl;
        env.Environment["WORKER_LEASE_SECONDS"] = "2";
        env.Environment["WEBHOOK_TIMEOUT"] = "60";
        string jobId;
        string endpointId;
        using (var db = env.Open())
        {
            endpointId = new WebhookActions(db, new UrlAllowList([receiver.BaseUrl]), () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
                .Add(receiver.BaseUrl, Secret, "completed", null).Id;
            jobId = JobSubmitter.Submit(db, new NewJob("noop", "{}"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).JobId;
        }

        var victim = env.StartWorker("hook-victim");
        var inFlight = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30));
        Assert.That(inFlight, Has.Count.EqualTo(1), victim.OutputText);
        victim.Kill();
        release.SetResult();

        var survivor = env.StartWorker("hook-survivor");
        var got = await receiver.WaitForAsync(2, TimeSpan.FromSeconds(30));
        Assert.That(got, Has.Count.EqualTo(2), survivor.OutputText);
        Assert.That(got[1].Id, Is.EqualTo(got[0].Id), "the same webhook-id, so the receiver can de-duplicate");
        Assert.That(got[1].Body, Is.EqualTo(got[0].Body));
        Assert.That(got[1].JobId, Is.EqualTo(jobId));
        Assert.That(await IndependentVerifier.VerifyAsync(Secret, got[1].Id, got[1].Timestamp, got[1].Body, got[1].Signature), Is.True);

        using var check = env.Open();
        Assert.That(await DaemonEnvironment.EventuallyAsync(() => new WebhookActions(check, new UrlAllowList([]), () => 0).Deliveries(endpointId, 1)[0].Status == JobStatus.Completed, TimeSpan.FromSeconds(10)), Is.True);
        var log = new WebhookActions(check, new UrlAllowList([]), () => 0).Deliveries(endpointId, 1)[0];
        Assert.That((log.Attempts, log.LastCode), Is.EqualTo((2L, (int?)200)));
        Assert.That(WebhookEndpointStore.Find(check, endpointId)!.DisabledAt, Is.Null);
    }

    [Test]
    public async Task Cli_AddsListsAndRefuses_WithoutShowingTheSecret()
    {
        using var env = new DaemonEnvironment();
        env.Environment["WEBHOOK_ALLOWED_URL_PREFIXES"] = "http://192.168.1.20:8123/api/webhook/";
        var (code, output) = await env.CliAsync("webhooks", "add", "--url", "http://192.168.1.20:8123/api/webhook/mw", "--secret", Secret, "--events", "completed,failed");
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("\"events\":[\"completed\",\"failed\"]").And.Not.Contain(Secret[6..]));

        var (listCode, list) = await env.CliAsync("webhooks", "list");
        Assert.That(listCode, Is.Zero, list);
        Assert.That(list, Does.Contain("http://192.168.1.20:8123/api/webhook/mw").And.Contain("completed,failed").And.Contain("active").And.Not.Contain(Secret[6..]));

        var (refusedCode, refused) = await env.CliAsync("webhooks", "add", "--url", "http://10.0.0.9/steal", "--secret", Secret);
        Assert.That(refusedCode, Is.EqualTo(2));
        Assert.That(refused.Trim(), Is.EqualTo("mediaworker: 'http://10.0.0.9/steal' is refused: it starts with none of WEBHOOK_ALLOWED_URL_PREFIXES (http://192.168.1.20:8123/api/webhook/)."));

        var (submitCode, submitted) = await env.CliAsync("submit", "noop", "--webhook-url", "http://10.0.0.9/cb");
        Assert.That(submitCode, Is.EqualTo(2));
        Assert.That(submitted, Does.Contain("--webhook-url: 'http://10.0.0.9/cb' is refused"));
    }
}
