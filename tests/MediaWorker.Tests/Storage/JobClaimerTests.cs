using Dapper;
using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Storage;

/// <summary>Runs case for case against both stores: the SQLite file and PostgreSQL.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class JobClaimerTests(StoreKind kind)
{
    private StoreFixture _store = null!;

    [SetUp]
    public void SetUp() => _store = new StoreFixture(kind);

    [TearDown]
    public void TearDown() => _store.Dispose();

    [Test]
    public void Claim_ServesOnlyRequestedTaskTypes_ByPriorityThenAge()
    {
        var oldLow = _store.Submit("a", priority: 1, createdAt: 1);
        var newHigh = _store.Submit("a", priority: 9, createdAt: 3);
        var oldHigh = _store.Submit("b", priority: 9, createdAt: 2);
        _store.Submit("c", priority: 10, createdAt: 0);

        var claimed = _store.Claim(10, "a", "b");

        Assert.That(claimed.Select(c => c.JobId), Is.EquivalentTo(new[] { oldLow, newHigh, oldHigh }));
        var order = _store.Claim(10, "c");
        Assert.That(order, Has.Count.EqualTo(1), "c was left for a worker that serves it");
    }

    [Test]
    public void Claim_TakesTheHighestPriorityOldestJobsFirst_UpToTheLimit()
    {
        var low = _store.Submit("a", priority: 1, createdAt: 1);
        var highOld = _store.Submit("a", priority: 9, createdAt: 5);
        var highNew = _store.Submit("a", priority: 9, createdAt: 6);
        var mid = _store.Submit("a", priority: 5, createdAt: 0);

        Assert.That(_store.Claim(1, "a").Single().JobId, Is.EqualTo(highOld));
        Assert.That(_store.Claim(1, "a").Single().JobId, Is.EqualTo(highNew));
        Assert.That(_store.Claim(1, "a").Single().JobId, Is.EqualTo(mid));
        Assert.That(_store.Claim(1, "a").Single().JobId, Is.EqualTo(low));
        Assert.That(_store.Claim(1, "a"), Is.Empty);
    }

    [Test]
    public void Claim_RespectsPerTaskAllowance()
    {
        for (var i = 0; i < 5; i++)
        {
            _store.Submit("limited");
            _store.Submit("free");
        }

        using var claimer = _store.NewClaimer();
        var claimed = claimer.Claim(new ClaimRequest("w1", [("limited", 1), ("free", 10)], 4, TimeSpan.FromSeconds(30)), _store.Now);

        Assert.That(claimed, Has.Count.EqualTo(4));
        Assert.That(claimed.Count(c => c.TaskType == "limited"), Is.EqualTo(1));
    }

    [Test]
    public void Claim_CountsAnAttemptAndSetsAFreshLease()
    {
        var id = _store.Submit();
        var job = _store.Claim(1, "noop").Single();
        var row = _store.Row(id);

        Assert.That(job.Attempt, Is.EqualTo(1));
        Assert.That(row.Status, Is.EqualTo(JobStatus.Processing));
        Assert.That(row.LeaseOwner, Is.EqualTo("w1"));
        Assert.That(row.LeaseExpiresAt, Is.EqualTo(_store.Now + 30_000));
        Assert.That(job.LeaseToken, Has.Length.GreaterThanOrEqualTo(16));
    }

    [Test]
    public void Claim_SkipsJobsWhoseRunAfterTimeHasNotCome()
    {
        var later = _store.Submit(runAfter: _store.Now + 60_000);
        Assert.That(_store.Claim(5, "noop"), Is.Empty);

        _store.Now += 60_000;
        Assert.That(_store.Claim(5, "noop").Single().JobId, Is.EqualTo(later));
    }

    [Test]
    public void TwoClaimers_NeverGetTheSameJob()
    {
        const int jobs = 2000;
        JobSubmitter.InsertMany(_store.Connection, Enumerable.Range(0, jobs).Select(_ => new NewJob("noop", "{}")), _store.Now);
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();

        void ClaimAll(string owner)
        {
            using var connection = _store.Store.Open();
            using var claimer = _store.NewClaimer(connection);
            while (true)
            {
                var batch = claimer.Claim(new ClaimRequest(owner, [("noop", 7)], 7, TimeSpan.FromMinutes(1)), _store.Now);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var job in batch)
                {
                    seen.Add(job.JobId);
                }
            }
        }

        Parallel.Invoke(() => ClaimAll("a"), () => ClaimAll("b"), () => ClaimAll("c"));

        Assert.That(seen, Has.Count.EqualTo(jobs));
        Assert.That(seen.Distinct().Count(), Is.EqualTo(jobs), "a job was claimed twice");
    }

    [Test]
    public void ExpiredLease_IsReclaimed_AndTheOldHoldersWritesAreRejected()
    {
        var id = _store.Submit();
        var first = _store.Claim("dead-worker", 1, TimeSpan.FromSeconds(5), "noop").Single();

        _store.Now += 4_000;
        Assert.That(_store.Claim("w2", 1, TimeSpan.FromSeconds(5), "noop"), Is.Empty, "the lease still holds");

        _store.Now += 2_000;
        var second = _store.Claim("w2", 1, TimeSpan.FromSeconds(5), "noop").Single();
        Assert.That(second.JobId, Is.EqualTo(id));
        Assert.That(second.Attempt, Is.EqualTo(2));

        Assert.That(_store.Apply(first, new JobOutcome(OutcomeKind.Completed) { OutputJson = "{\"from\":\"old\"}" }), Is.False, "fenced out");
        using (var writer = new LeasedJobWriter(_store.Connection))
        {
            Assert.That(writer.UpdateProgress([(first, 50)], _store.Now), Is.EqualTo(new[] { false }));
            Assert.That(writer.RenewLeases([first], _store.Now, TimeSpan.FromSeconds(5)), Is.EqualTo(new[] { false }));
        }

        Assert.That(_store.Apply(second, new JobOutcome(OutcomeKind.Completed) { OutputJson = "{\"from\":\"new\"}" }), Is.True);
        Assert.That(System.Text.Json.Nodes.JsonNode.Parse(_store.Row(id).Output!)!["from"]!.GetValue<string>(), Is.EqualTo("new"));
        Assert.That(_store.Apply(first, new JobOutcome(OutcomeKind.Failed) { ErrorMessage = "late" }), Is.False);
        Assert.That(_store.Row(id).Status, Is.EqualTo(JobStatus.Completed));
    }

    [Test]
    public void ExpiredLease_OnTheLastAttempt_EndsFailedWithAReason()
    {
        var id = _store.Submit(maxRetries: 0);
        _store.Claim("w-gone", 1, TimeSpan.FromSeconds(1), "noop");
        _store.Now += 5_000;

        Assert.That(_store.Claim(1, "noop"), Is.Empty);
        var row = _store.Row(id);
        Assert.That(row.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(row.ErrorMessage, Does.Contain("w-gone").And.Contain("lease expired").And.Contain("attempt 1 of 1"));
    }

    [Test]
    public void Claim_CarriesTheJobsTimeoutParamsAndRetries()
    {
        var id = JobSubmitter.Submit(_store.Connection, new NewJob("noop", "{\"size\": 3}") { TimeoutSeconds = 2.5, MaxRetries = 7 }, _store.Now).JobId;

        var job = _store.Claim(1, "noop").Single();

        Assert.That(job.JobId, Is.EqualTo(id));
        Assert.That(job.TimeoutSeconds, Is.EqualTo(2.5));
        Assert.That(job.MaxAttempts, Is.EqualTo(8));
        Assert.That(System.Text.Json.Nodes.JsonNode.Parse(job.ParamsJson!)!["size"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(_store.Row(id).TimeoutSeconds, Is.EqualTo(2.5));
    }

    [Test]
    public void ReleaseOrphans_MakesOurOwnDeadJobsClaimableAtOnce()
    {
        var id = _store.Submit();
        _store.Claim("w1", 1, TimeSpan.FromMinutes(5), "noop");

        Assert.That(LeaseReaper.ReleaseOrphans(_store.Connection, "w1", _store.Now), Is.EqualTo(1));
        Assert.That(_store.Claim(1, "noop").Single().JobId, Is.EqualTo(id));
    }
}
