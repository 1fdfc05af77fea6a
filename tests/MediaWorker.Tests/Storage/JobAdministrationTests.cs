using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Storage;

/// <summary>Runs case for case against both stores: the SQLite file and PostgreSQL.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class JobAdministrationTests(StoreKind kind)
{
    private StoreFixture _store = null!;

    [SetUp]
    public void SetUp() => _store = new StoreFixture(kind);

    [TearDown]
    public void TearDown() => _store.Dispose();

    [Test]
    public void Cancel_OfAQueuedJob_IsImmediate()
    {
        var id = _store.Submit();

        Assert.That(JobAdministration.Cancel(_store.Connection, id, _store.Now), Is.EqualTo(CancelResult.Cancelled));
        Assert.That(_store.Row(id).Status, Is.EqualTo(JobStatus.Cancelled));
        Assert.That(_store.Claim(1, "noop"), Is.Empty);
    }

    [Test]
    public void Cancel_OfARunningJob_AsksItsWorker_AndADeadWorkersJobEndsCancelled()
    {
        var id = _store.Submit();
        _store.Claim("w1", 1, TimeSpan.FromSeconds(5), "noop");

        Assert.That(JobAdministration.Cancel(_store.Connection, id, _store.Now), Is.EqualTo(CancelResult.Requested));
        Assert.That(JobAdministration.CancelRequestedFor(_store.Connection, "w1"), Is.EqualTo(new[] { id }));
        Assert.That(_store.Row(id).Status, Is.EqualTo(JobStatus.Processing));

        _store.Now += 10_000; // the worker died before it could stop the job
        Assert.That(_store.Claim(1, "noop"), Is.Empty, "a job asked to cancel is never reclaimed");
        Assert.That(_store.Row(id).Status, Is.EqualTo(JobStatus.Cancelled));
    }

    [Test]
    public void Cancel_ReportsFinishedAndUnknownJobs()
    {
        var id = _store.Submit();
        var job = _store.Claim(1, "noop").Single();
        _store.Apply(job, new JobOutcome(OutcomeKind.Completed));

        Assert.That(JobAdministration.Cancel(_store.Connection, id, _store.Now), Is.EqualTo(CancelResult.AlreadyFinished));
        Assert.That(JobAdministration.Cancel(_store.Connection, "nope", _store.Now), Is.EqualTo(CancelResult.NotFound));
    }

    [Test]
    public void IdempotencyKey_ReturnsTheFirstJob()
    {
        var first = JobSubmitter.Submit(_store.Connection, new NewJob("noop", "{}") { IdempotencyKey = "order-17" }, _store.Now);
        var second = JobSubmitter.Submit(_store.Connection, new NewJob("noop", "{\"other\":1}") { IdempotencyKey = "order-17" }, _store.Now);

        Assert.That(first.Created, Is.True);
        Assert.That(second.Created, Is.False);
        Assert.That(second.JobId, Is.EqualTo(first.JobId));
        Assert.That(_store.Count("SELECT COUNT(*) FROM jobs"), Is.EqualTo(1));
    }

    [Test]
    public void Retry_RequeuesFailedJobsWithFreshAttempts_ButNotCompletedOnes()
    {
        var failed = _store.Submit(maxRetries: 0);
        var job = _store.Claim(1, "noop").Single();
        _store.Apply(job, new JobOutcome(OutcomeKind.Failed) { ErrorMessage = "bad input" });

        Assert.That(JobAdministration.Retry(_store.Connection, failed, _store.Now), Is.True);
        var row = _store.Row(failed);
        Assert.That(row.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(row.Attempts, Is.Zero);
        Assert.That(row.ErrorMessage, Is.Null);

        var done = _store.Claim(1, "noop").Single();
        _store.Apply(done, new JobOutcome(OutcomeKind.Completed));
        Assert.That(JobAdministration.Retry(_store.Connection, failed, _store.Now), Is.False);
    }

    [Test]
    public void Purge_DeletesOnlyOldFinishedJobs()
    {
        var old = _store.Submit();
        _store.Apply(_store.Claim(1, "noop").Single(), new JobOutcome(OutcomeKind.Completed));
        _store.Now += 3_600_000;
        var queued = _store.Submit();
        var recent = _store.Submit("other");
        _store.Apply(_store.Claim(1, "other").Single(), new JobOutcome(OutcomeKind.Completed));

        var purged = JobAdministration.Purge(_store.Connection, _store.Now - 60_000, null);

        Assert.That(purged, Is.EqualTo(new[] { old }));
        Assert.That(JobAdministration.Find(_store.Connection, queued), Is.Not.Null);
        Assert.That(JobAdministration.Find(_store.Connection, recent), Is.Not.Null);
    }
}
