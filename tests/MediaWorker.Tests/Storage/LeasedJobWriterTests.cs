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
}
