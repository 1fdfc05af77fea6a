using Dapper;
using MediaWorker.Configuration;
using MediaWorker.Messaging;
using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Webhooks;
using MediaWorker.Webhooks.Delivery;
using MediaWorker.Webhooks.Subscriptions;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace MediaWorker.Tests.Webhooks;

/// <summary>
/// Every path that changes a job's state enqueues its deliveries in the same transaction, and the
/// chain rule holds later deliveries of a job to an endpoint until the earlier ones end.
/// </summary>
public sealed class WebhookEnqueueTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private TempDirectory _directory = null!;
    private SqliteConnection _db = null!;

    [SetUp]
    public void Open()
    {
        _directory = new TempDirectory("mw-webhook-enqueue");
        _db = new SqliteConnectionFactory(StoreSettings.ForPath(_directory.Combine("media_store.db"))).Open();
        SchemaMigrator.Migrate(_db);
    }

    [TearDown]
    public void Close()
    {
        _db.Dispose();
        _directory.Dispose();
    }

    [Test]
    public void ClaimAndOutcome_EnqueueOneDeliveryPerMatchingEndpoint_InTheirTransaction()
    {
        var all = Add("http://hub.lan/all", null, null);
        var onlyDone = Add("http://hub.lan/done", "completed", null);
        Add("http://hub.lan/other-task", null, "image_resize");
        var jobId = JobSubmitter.Submit(_db, new NewJob("noop", "{}"), 1000).JobId;

        using var claimer = new JobClaimer(_db);
        var claimed = claimer.Claim(new ClaimRequest("w1", [("noop", 1)], 1, TimeSpan.FromSeconds(30)), 2000).Single();
        using var writer = new LeasedJobWriter(_db);
        writer.UpdateProgress([(claimed, 40)], 2500);
        writer.ApplyOutcomes([(claimed, new JobOutcome(OutcomeKind.Completed) { OutputJson = """{"ok": true}""" })], 3000);

        Assert.That(Deliveries(all.Id), Is.EqualTo(new[] { "processing", "progress", "completed" }));
        Assert.That(Deliveries(onlyDone.Id), Is.EqualTo(new[] { "completed" }));
        Assert.That(_db.ExecuteScalar<long>("SELECT COUNT(*) FROM webhook_deliveries"), Is.EqualTo(4), "no delivery for the image_resize-only endpoint");
        var body = _db.ExecuteScalar<string>("SELECT body FROM webhook_deliveries WHERE endpoint_id = @id AND event_type = 'completed'", new { id = onlyDone.Id });
        Assert.That(body, Does.Contain("\"type\":\"job.completed\"").And.Contain($"\"job_id\":\"{jobId}\"").And.Contain("\"output\":{\"ok\":true}").And.Contain("\"status\":\"completed\""));
    }

    [Test]
    public void LostLease_WritesNoOutcome_AndEnqueuesNothing()
    {
        var endpoint = Add("http://hub.lan/all", "completed", null);
        JobSubmitter.Submit(_db, new NewJob("noop", "{}"), 1000);
        using var claimer = new JobClaimer(_db);
        var claimed = claimer.Claim(new ClaimRequest("w1", [("noop", 1)], 1, TimeSpan.FromSeconds(30)), 2000).Single();
        using var writer = new LeasedJobWriter(_db);
        var applied = writer.ApplyOutcomes([(claimed with { LeaseToken = "stolen" }, new JobOutcome(OutcomeKind.Completed))], 3000);

        Assert.That(applied, Is.EqualTo(new[] { false }));
        Assert.That(Deliveries(endpoint.Id), Is.Empty);
    }

    [Test]
    public void RolledBackChange_TakesItsDeliveriesWithIt()
    {
        var endpoint = Add("http://hub.lan/all", null, null);
        var jobId = JobSubmitter.Submit(_db, new NewJob("noop", "{}"), 1000).JobId;
        using (WriteTransaction.Begin(_db))
        {
            _db.Execute("UPDATE jobs SET status = 'cancelled' WHERE job_id = @jobId", new { jobId });
            WebhookEvents.JobChanged(_db, jobId, "noop", JobEventType.Cancelled, 2000);
            Assert.That(Deliveries(endpoint.Id), Has.Count.EqualTo(1));
        }

        Assert.That(Deliveries(endpoint.Id), Is.Empty);
        Assert.That(_db.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE task_type = 'webhook_delivery'"), Is.Zero);
    }

    [Test]
    public void AdminCancel_AndTheLeaseReaper_EnqueueTheirEvents()
    {
        var endpoint = Add("http://hub.lan/all", "cancelled,failed", null);
        var queued = JobSubmitter.Submit(_db, new NewJob("noop", "{}"), 1000).JobId;
        Assert.That(JobAdministration.Cancel(_db, queued, 1500), Is.EqualTo(CancelResult.Cancelled));

        var dying = JobSubmitter.Submit(_db, new NewJob("noop", "{}") { MaxRetries = 0 }, 1000).JobId;
        using var claimer = new JobClaimer(_db);
        claimer.Claim(new ClaimRequest("w1", [("noop", 1)], 1, TimeSpan.FromSeconds(1)), 2000);
        using (var transaction = WriteTransaction.Begin(_db))
        {
            Assert.That(LeaseReaper.Reap(_db, 10_000), Is.EqualTo(1));
            transaction.Commit();
        }

        Assert.That(_db.Query<(string Job, string Event)>("SELECT source_job_id, event_type FROM webhook_deliveries ORDER BY created_at"),
            Is.EqualTo(new[] { (queued, "cancelled"), (dying, "failed") }));
        Assert.That(Deliveries(endpoint.Id), Has.Count.EqualTo(2));
    }

    [Test]
    public void LaterEventsOfAJob_AreHeld_UntilTheEarlierDeliveryEnds_EvenWhenItRetries()
    {
        var endpoint = Add("http://hub.lan/all", null, null);
        var jobId = JobSubmitter.Submit(_db, new NewJob("noop", "{}"), 1000).JobId;
        using var claimer = new JobClaimer(_db);
        using var writer = new LeasedJobWriter(_db);
        var job = claimer.Claim(new ClaimRequest("w1", [("noop", 1)], 1, TimeSpan.FromSeconds(30)), 2000).Single();
        writer.ApplyOutcomes([(job, new JobOutcome(OutcomeKind.Completed))], 3000);
        var (processing, completed) = (DeliveryJob(jobId, "processing"), DeliveryJob(jobId, "completed"));
        Assert.That(RunAfter(processing), Is.Zero);
        Assert.That(RunAfter(completed), Is.EqualTo(DeliveryChain.Held), "held behind the processing event");

        // Only the first delivery is claimable; its retry keeps the second held.
        var first = claimer.Claim(new ClaimRequest("w1", [(WebhookEvents.DeliveryTask, 10)], 10, TimeSpan.FromSeconds(30)), 4000).Single();
        Assert.That(first.JobId, Is.EqualTo(processing));
        writer.ApplyOutcomes([(first, new JobOutcome(OutcomeKind.Retry) { ErrorMessage = "HTTP 503 from http://hub.lan/all: busy", RunAfter = 5000 })], 4100);
        Assert.That(RunAfter(completed), Is.EqualTo(DeliveryChain.Held));
        Assert.That(_db.ExecuteScalar<int>("SELECT last_code FROM webhook_deliveries WHERE delivery_id = @processing", new { processing }), Is.EqualTo(503));
        var again = claimer.Claim(new ClaimRequest("w1", [(WebhookEvents.DeliveryTask, 10)], 10, TimeSpan.FromSeconds(30)), 6000).Single();
        Assert.That(again.JobId, Is.EqualTo(processing), "never the later event while the earlier one retries");

        writer.ApplyOutcomes([(again, new JobOutcome(OutcomeKind.Completed) { OutputJson = """{"status_code": 204}""" })], 6100);
        Assert.That(RunAfter(completed), Is.EqualTo(6100), "released by the earlier delivery's end, in its transaction");
        Assert.That(claimer.Claim(new ClaimRequest("w1", [(WebhookEvents.DeliveryTask, 10)], 10, TimeSpan.FromSeconds(30)), 6200).Single().JobId, Is.EqualTo(completed));
    }

    [Test]
    public void CancellingAHeldDelivery_DoesNotReleaseTheOneBehindIt_AheadOfAnUnfinishedOne()
    {
        Add("http://hub.lan/all", null, null);
        var jobId = JobSubmitter.Submit(_db, new NewJob("noop", "{}"), 1000).JobId;
        using var claimer = new JobClaimer(_db);
        using var writer = new LeasedJobWriter(_db);
        var job = claimer.Claim(new ClaimRequest("w1", [("noop", 1)], 1, TimeSpan.FromSeconds(30)), 2000).Single();
        writer.UpdateProgress([(job, 50)], 2500);
        writer.ApplyOutcomes([(job, new JobOutcome(OutcomeKind.Completed))], 3000);
        JobAdministration.Cancel(_db, DeliveryJob(jobId, "progress"), 3500);

        Assert.That(RunAfter(DeliveryJob(jobId, "completed")), Is.EqualTo(DeliveryChain.Held), "the processing delivery has not ended yet");
    }

    [Test]
    public void GoneAnswer_DisablesTheEndpoint_AndLaterEventsAreNotEnqueuedForIt()
    {
        var endpoint = Add("http://hub.lan/all", null, null);
        JobSubmitter.Submit(_db, new NewJob("noop", "{}"), 1000);
        using var claimer = new JobClaimer(_db);
        using var writer = new LeasedJobWriter(_db);
        claimer.Claim(new ClaimRequest("w1", [("noop", 1)], 1, TimeSpan.FromSeconds(30)), 2000);
        var delivery = claimer.Claim(new ClaimRequest("w1", [(WebhookEvents.DeliveryTask, 1)], 1, TimeSpan.FromSeconds(30)), 2100).Single();
        writer.ApplyOutcomes([(delivery, new JobOutcome(OutcomeKind.Failed) { ErrorMessage = DeliveryResult.Failure(410, new Uri("http://hub.lan/all"), "bye", "gone") })], 2200);

        var found = WebhookEndpointStore.Find(_db, endpoint.Id)!;
        Assert.That(found.DisabledAt, Is.EqualTo(2200));
        Assert.That(found.DisabledReason, Does.Contain("410"));
        JobSubmitter.Submit(_db, new NewJob("noop", "{}"), 3000);
        claimer.Claim(new ClaimRequest("w1", [("noop", 1)], 1, TimeSpan.FromSeconds(30)), 3100);
        Assert.That(Deliveries(endpoint.Id), Has.Count.EqualTo(1));
    }

    [Test]
    public void ABatchOfOutcomes_EnqueuesEachJobsOwnDeliveries_AndNoneForTheRejectedOne()
    {
        var endpoint = Add("http://hub.lan/all", "completed,failed", null);
        var own = JobSubmitter.Submit(_db, new NewJob("noop", "{}") { WebhookUrl = "http://hub.lan/own" }, 1000).JobId;
        var plain = JobSubmitter.Submit(_db, new NewJob("noop", "{}"), 1000).JobId;
        var lost = JobSubmitter.Submit(_db, new NewJob("noop", "{}") { WebhookUrl = "http://hub.lan/lost" }, 1000).JobId;
        using var claimer = new JobClaimer(_db);
        var claimed = claimer.Claim(new ClaimRequest("w1", [("noop", 3)], 3, TimeSpan.FromSeconds(30)), 2000).ToDictionary(j => j.JobId);
        using var writer = new LeasedJobWriter(_db);

        var applied = writer.ApplyOutcomes(
            [
                (claimed[own], new JobOutcome(OutcomeKind.Completed) { OutputJson = """{"n": 1}""" }),
                (claimed[lost] with { LeaseToken = "stolen" }, new JobOutcome(OutcomeKind.Completed)),
                (claimed[plain], new JobOutcome(OutcomeKind.Failed) { ErrorMessage = "bad input" }),
            ],
            3000);

        Assert.That(applied, Is.EqualTo(new[] { true, false, true }));
        var sent = _db.Query<(string Endpoint, string Source, string Event)>("SELECT endpoint_id, source_job_id, event_type FROM webhook_deliveries ORDER BY seq, source_job_id").ToList();
        Assert.That(sent, Is.EquivalentTo(new[]
        {
            (endpoint.Id, own, "completed"),
            (WebhookEvents.JobEndpointId, own, "completed"),
            (endpoint.Id, plain, "failed"),
        }));
        var body = _db.ExecuteScalar<string>("SELECT body FROM webhook_deliveries WHERE endpoint_id = 'job' AND source_job_id = @own", new { own });
        Assert.That(body, Does.Contain("\"output\":{\"n\":1}"));
    }

    [Test]
    public void ADeliveryThatDisablesItsEndpoint_InABatch_StopsItForTheOutcomesAfterIt()
    {
        var endpoint = Add("http://hub.lan/all", null, null);
        var first = JobSubmitter.Submit(_db, new NewJob("noop", "{}"), 1000).JobId;
        var second = JobSubmitter.Submit(_db, new NewJob("noop", "{}"), 1000).JobId;
        using var claimer = new JobClaimer(_db);
        var jobs = claimer.Claim(new ClaimRequest("w1", [("noop", 2)], 2, TimeSpan.FromSeconds(30)), 2000).ToDictionary(j => j.JobId);
        var delivery = claimer.Claim(new ClaimRequest("w1", [(WebhookEvents.DeliveryTask, 1)], 1, TimeSpan.FromSeconds(30)), 2100).Single();
        using var writer = new LeasedJobWriter(_db);

        writer.ApplyOutcomes(
            [
                (jobs[first], new JobOutcome(OutcomeKind.Completed)),
                (delivery, new JobOutcome(OutcomeKind.Failed) { ErrorMessage = DeliveryResult.Failure(410, new Uri("http://hub.lan/all"), "bye", "gone") }),
                (jobs[second], new JobOutcome(OutcomeKind.Completed)),
            ],
            2200);

        Assert.That(WebhookEndpointStore.Find(_db, endpoint.Id)!.DisabledAt, Is.EqualTo(2200));
        Assert.That(_db.ExecuteScalar<long>("SELECT COUNT(*) FROM webhook_deliveries WHERE source_job_id = @first AND event_type = 'completed'", new { first }), Is.EqualTo(1), "enqueued before the 410 was settled");
        Assert.That(_db.ExecuteScalar<long>("SELECT COUNT(*) FROM webhook_deliveries WHERE source_job_id = @second AND event_type = 'completed'", new { second }), Is.Zero, "after it, the endpoint is disabled");
    }

    [Test]
    public void UrlOutsideTheAllowList_IsRefused_WithTheRule()
    {
        var actions = new WebhookActions(_db, new UrlAllowList(["http://hub.lan/api/"]), () => 1000);
        var refused = Assert.Throws<MediaWorker.Cli.UsageException>(() => actions.Add("http://evil.example/api/", Secret, null, null))!;
        Assert.That(refused.Message, Is.EqualTo("'http://evil.example/api/' is refused: it starts with none of WEBHOOK_ALLOWED_URL_PREFIXES (http://hub.lan/api/)."));
        Assert.Throws<MediaWorker.Cli.UsageException>(() => actions.Add("http://hub.lan/api.evil/", Secret, null, null));
        Assert.Throws<MediaWorker.Cli.UsageException>(() => actions.Add("http://hub.lan:81/api/x", Secret, null, null));
        Assert.That(actions.Add("http://HUB.lan:80/api/x", Secret, null, null).Url, Is.EqualTo("http://HUB.lan:80/api/x"));
        Assert.That(Assert.Throws<MediaWorker.Cli.UsageException>(() => actions.Add("http://hub.lan/api/x", "short", null, null))!.Message, Does.Contain("at least 16"));
        Assert.That(Assert.Throws<MediaWorker.Cli.UsageException>(() => actions.Add("http://hub.lan/api/x", Secret, "completed,exploded", null))!.Message,
            Does.StartWith("'exploded' is no event type"));
    }

    [Test]
    public void TheDefaultSchedule_SpansAboutADay()
    {
        var lowest = new WebhookRetrySchedule(TimeSpan.FromSeconds(15), TimeSpan.FromHours(1), new FixedRandom(0));
        var highest = new WebhookRetrySchedule(TimeSpan.FromSeconds(15), TimeSpan.FromHours(1), new FixedRandom(0.999999));
        double Total(WebhookRetrySchedule s) => Enumerable.Range(1, WebhookRetrySchedule.MaxRetries).Sum(a => s.Delay(a, null).TotalHours);

        Assert.That(Total(lowest), Is.InRange(14.0, 15.0));
        Assert.That(Total(highest), Is.InRange(28.5, 29.1));
        Assert.That(lowest.Delay(1, TimeSpan.FromSeconds(120)), Is.EqualTo(TimeSpan.FromSeconds(120)), "Retry-After is a floor");
        Assert.That(lowest.Delay(1, TimeSpan.FromDays(30)), Is.EqualTo(TimeSpan.FromDays(1)), "but a month is cut to a day");
    }

    private WebhookEndpoint Add(string url, string? events, string? tasks) =>
        new WebhookActions(_db, new UrlAllowList(["http://hub.lan/"]), () => 500).Add(url, Secret, events, tasks);

    private List<string> Deliveries(string endpointId) =>
        _db.Query<string>("SELECT event_type FROM webhook_deliveries WHERE endpoint_id = @endpointId ORDER BY seq", new { endpointId }).ToList();

    private string DeliveryJob(string sourceJobId, string eventType) =>
        _db.ExecuteScalar<string>("SELECT delivery_id FROM webhook_deliveries WHERE source_job_id = @sourceJobId AND event_type = @eventType", new { sourceJobId, eventType })!;

    private long RunAfter(string jobId) => _db.ExecuteScalar<long>("SELECT run_after FROM jobs WHERE job_id = @jobId", new { jobId });

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
