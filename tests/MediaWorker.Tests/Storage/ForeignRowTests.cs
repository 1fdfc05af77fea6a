using Dapper;
using MediaWorker.Storage;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Storage;

/// <summary>Issue 11, item 6: rows a foreign producer wrote with values of the wrong kind.</summary>
public sealed class ForeignRowTests
{
    private StoreFixture _store = null!;

    [SetUp]
    public void SetUp() => _store = new StoreFixture();

    [TearDown]
    public void TearDown() => _store.Dispose();

    [Test]
    public void Listing_ReadsEveryRow_AndNamesTheColumnThatHoldsNonsense()
    {
        var good = _store.Submit();
        _store.Connection.Execute("INSERT INTO jobs (job_id, task_type, params, status, created_at, priority) VALUES ('foreign-1', 'noop', '{}', 'queued', 'yesterday', 'high')");

        var rows = JobAdministration.List(_store.Connection, null, null, 10);

        Assert.That(rows.Select(r => r.JobId), Is.EquivalentTo(new[] { good, "foreign-1" }));
        var foreign = rows.Single(r => r.JobId == "foreign-1");
        Assert.That(foreign.CreatedAt, Is.Null);
        Assert.That(foreign.ReadProblems, Is.EquivalentTo(new[]
        {
            "created_at holds 'yesterday', not a time in Unix milliseconds; shown as empty",
            "priority holds 'high', not an integer; shown as empty",
        }));
        Assert.That(rows.Single(r => r.JobId == good).ReadProblems, Is.Empty);
        Assert.That(JobAdministration.Find(_store.Connection, "foreign-1")!.ReadProblems, Has.Count.EqualTo(2));
    }

    [Test]
    public void NumbersStoredAsTextOrReal_AreReadAsNumbers_WithoutAProblem()
    {
        _store.Connection.Execute("INSERT INTO jobs (job_id, task_type, status, created_at, timeout_seconds) VALUES ('foreign-2', 'noop', 'queued', 1700000000000.0, '2.5')");

        var row = JobAdministration.Find(_store.Connection, "foreign-2")!;

        Assert.That(row.CreatedAt, Is.EqualTo(1_700_000_000_000));
        Assert.That(row.TimeoutSeconds, Is.EqualTo(2.5));
        Assert.That(row.ReadProblems, Is.Empty);
    }

    /// <summary>SQLite orders text after every number: 'soon' was never due, and the row waited forever.</summary>
    [Test]
    public void AJobWithATextRunAfter_IsClaimedAsDue_CarryingTheValueForTheRunnerToFailItWith()
    {
        _store.Connection.Execute("INSERT INTO jobs (job_id, task_type, status, run_after) VALUES ('foreign-3', 'noop', 'queued', 'soon')");
        var numeric = _store.Submit(runAfter: _store.Now + 60_000);

        var claimed = _store.Claim(5, "noop");

        Assert.That(claimed.Select(c => c.JobId), Is.EqualTo(new[] { "foreign-3" }), "a numeric run_after in the future still waits");
        Assert.That(claimed[0].UnreadableRunAfter, Is.EqualTo("'soon'"));
        Assert.That(_store.Row(numeric).Status, Is.EqualTo(JobStatus.Queued));
    }
}
