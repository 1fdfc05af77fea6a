using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Storage;

/// <summary>Runs case for case against both stores: the SQLite file and PostgreSQL.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class LeasedJobWriterTests(StoreKind kind)
{
    private StoreFixture _store = null!;

    [SetUp]
    public void SetUp() => _store = new StoreFixture(kind);

    [TearDown]
    public void TearDown() => _store.Dispose();

    [Test]
    public void Retry_GoesBackToTheQueue_AfterItsBackoff()
    {
        var id = _store.Submit();
        var job = _store.Claim(1, "noop").Single();

        Assert.That(_store.Apply(job, new JobOutcome(OutcomeKind.Retry) { ErrorMessage = "flaky", RunAfter = _store.Now + 10_000 }), Is.True);
        var row = _store.Row(id);
        Assert.That(row.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(row.RetryCount, Is.EqualTo(1));
        Assert.That(row.ErrorMessage, Is.EqualTo("flaky"));
        Assert.That(_store.Claim(1, "noop"), Is.Empty, "backoff not over");

        _store.Now += 10_000;
        Assert.That(_store.Claim(1, "noop").Single().Attempt, Is.EqualTo(2));
    }

    [Test]
    public void Requeue_GivesTheAttemptBack()
    {
        var id = _store.Submit();
        var job = _store.Claim(1, "noop").Single();

        Assert.That(_store.Apply(job, new JobOutcome(OutcomeKind.Requeued)), Is.True);
        var row = _store.Row(id);
        Assert.That(row.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(row.Attempts, Is.EqualTo(0));
        Assert.That(_store.Claim(1, "noop").Single().Attempt, Is.EqualTo(1));
    }

    [Test]
    public void Completion_InsertsFollowUpsInTheSameTransaction_OnlyWhenTheLeaseHolds()
    {
        var parent = _store.Submit();
        var job = _store.Claim("w1", 1, TimeSpan.FromSeconds(1), "noop").Single();
        var followUp = new NewJob("clip_extract", "{\"start\":1}") { ParentJobId = parent };

        _store.Now += 2_000; // lease lost: another worker takes it over
        var takeover = _store.Claim("w2", 1, TimeSpan.FromSeconds(30), "noop").Single();
        Assert.That(_store.Apply(job, new JobOutcome(OutcomeKind.Completed) { FollowUps = [followUp] }), Is.False);
        Assert.That(_store.Count("SELECT COUNT(*) FROM jobs WHERE task_type = 'clip_extract'"), Is.Zero);

        Assert.That(_store.Apply(takeover, new JobOutcome(OutcomeKind.Completed) { FollowUps = [followUp with { JobId = Guid.NewGuid().ToString() }] }), Is.True);
        Assert.That(_store.Count($"SELECT COUNT(*) FROM jobs WHERE task_type = 'clip_extract' AND parent_job_id = '{parent}'"), Is.EqualTo(1));
    }

    [Test]
    public void Progress_IsWrittenUnderTheLease()
    {
        var id = _store.Submit();
        var job = _store.Claim(1, "noop").Single();
        using var writer = new LeasedJobWriter(_store.Connection);

        Assert.That(writer.UpdateProgress([(job, 42)], _store.Now), Is.EqualTo(new[] { true }));
        Assert.That(_store.Row(id).Progress, Is.EqualTo(42));
    }

    [Test]
    public void ABatchOfOutcomes_InWhichOneJobLostItsLease_RejectsOnlyThatOne()
    {
        var lost = _store.Submit();
        var stalled = _store.Claim("w1", 1, TimeSpan.FromSeconds(1), "noop").Single();
        string[] others = [_store.Submit(), _store.Submit(), _store.Submit(), _store.Submit()];
        var held = _store.Claim("w1", 4, TimeSpan.FromSeconds(60), "noop").OrderBy(j => Array.IndexOf(others, j.JobId)).ToList();
        _store.Now += 2_000; // the first lease expires: another worker takes that job over
        var takeover = _store.Claim("w2", 1, TimeSpan.FromSeconds(30), "noop").Single();
        Assert.That(takeover.JobId, Is.EqualTo(lost));
        using var writer = new LeasedJobWriter(_store.Connection);

        var applied = writer.ApplyOutcomes(
            [
                (held[0], new JobOutcome(OutcomeKind.Completed) { OutputJson = """{"n": 0}""" }),
                (stalled, new JobOutcome(OutcomeKind.Completed) { OutputJson = """{"late": true}""", FollowUps = [new NewJob("clip_extract", "{}") { ParentJobId = lost }] }),
                (held[1], new JobOutcome(OutcomeKind.Failed) { ErrorMessage = "bad input" }),
                (held[2], new JobOutcome(OutcomeKind.Retry) { ErrorMessage = "flaky", RunAfter = _store.Now + 5_000 }),
                (held[3], new JobOutcome(OutcomeKind.Completed) { OutputJson = """{"n": 3}""" }),
            ],
            _store.Now);

        Assert.That(applied, Is.EqualTo(new[] { true, false, true, true, true }));
        var late = _store.Row(lost);
        Assert.That(late.Status, Is.EqualTo(JobStatus.Processing), "the late completion changed nothing");
        Assert.That(late.LeaseOwner, Is.EqualTo("w2"));
        Assert.That(late.Output, Is.Null);
        Assert.That(_store.Count("SELECT COUNT(*) FROM jobs WHERE task_type = 'clip_extract'"), Is.Zero, "no follow-up of the rejected completion");
        Assert.That(_store.Row(others[0]).Status, Is.EqualTo(JobStatus.Completed));
        Assert.That(_store.Row(others[0]).Output, Does.Contain("\"n\": 0"));
        Assert.That(_store.Row(others[1]).Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(_store.Row(others[1]).ErrorMessage, Is.EqualTo("bad input"));
        Assert.That(_store.Row(others[2]).Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(_store.Row(others[2]).RetryCount, Is.EqualTo(1));
        Assert.That(_store.Row(others[3]).Output, Does.Contain("\"n\": 3"));

        Assert.That(writer.ApplyOutcomes([(takeover, new JobOutcome(OutcomeKind.Completed))], _store.Now), Is.EqualTo(new[] { true }), "the new owner's completion is written");
    }

    [Test]
    public void ABatchOfRenewalsAndProgress_InWhichOneJobLostItsLease_RejectsOnlyThatOne()
    {
        _store.Submit();
        var stalled = _store.Claim("w1", 1, TimeSpan.FromSeconds(1), "noop").Single();
        _store.Submit();
        _store.Submit();
        var held = _store.Claim("w1", 2, TimeSpan.FromSeconds(60), "noop");
        _store.Now += 2_000;
        Assert.That(_store.Claim("w2", 1, TimeSpan.FromSeconds(30), "noop").Single().JobId, Is.EqualTo(stalled.JobId));
        using var writer = new LeasedJobWriter(_store.Connection);

        Assert.That(writer.RenewLeases([held[0], stalled, held[1]], _store.Now, TimeSpan.FromSeconds(90)), Is.EqualTo(new[] { true, false, true }));
        Assert.That(writer.UpdateProgress([(stalled, 10), (held[1], 20), (held[0], 30)], _store.Now), Is.EqualTo(new[] { false, true, true }));
        Assert.That(_store.Row(held[0].JobId).LeaseExpiresAt, Is.EqualTo(_store.Now + 90_000));
        Assert.That(_store.Row(held[0].JobId).Progress, Is.EqualTo(30));
        Assert.That(_store.Row(held[1].JobId).Progress, Is.EqualTo(20));
        Assert.That(_store.Row(stalled.JobId).LeaseOwner, Is.EqualTo("w2"));
        Assert.That(_store.Row(stalled.JobId).Progress, Is.Zero);
    }
}
