using MediaWorker.Storage;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Storage;

/// <summary>Schema step 6: a checkpoint's state, follow-ups and progress land together, only under the lease.</summary>
public sealed class CheckpointStoreTests
{
    private StoreFixture _store = null!;

    [SetUp]
    public void SetUp() => _store = new StoreFixture();

    [TearDown]
    public void TearDown() => _store.Dispose();

    [Test]
    public void ACheckpoint_StoresStateFollowUpsAndProgress_AndTheNextCommitReplacesTheState()
    {
        var parent = _store.Submit();
        var job = _store.Claim(1, "noop").Single();
        var followUp = new NewJob("video_probe", "{\"input_path\":\"a.ts\"}") { ParentJobId = parent };

        Assert.That(Write(job, "{\"next\":1}", [followUp], 40), Is.True);
        Assert.That(CheckpointStore.Read(_store.Connection, parent), Is.EqualTo("{\"next\":1}"));
        Assert.That(_store.Row(parent).Progress, Is.EqualTo(40));
        Assert.That(_store.Row(parent).Status, Is.EqualTo(JobStatus.Processing), "a checkpoint does not settle the job");
        Assert.That(_store.Row(followUp.JobId).Status, Is.EqualTo(JobStatus.Queued), "the follow-up is queued at once");

        Assert.That(Write(job, "{\"next\":2}", [], null), Is.True);
        Assert.That(CheckpointStore.Read(_store.Connection, parent), Is.EqualTo("{\"next\":2}"));
        Assert.That(_store.Row(parent).Progress, Is.EqualTo(40), "no progress given: unchanged");
        Assert.That(_store.Count("SELECT COUNT(*) FROM job_checkpoints"), Is.EqualTo(1));
    }

    [Test]
    public void ACheckpointFromALostLease_WritesNothing_AndTheNewOwnerReadsTheLastCommittedState()
    {
        var parent = _store.Submit();
        var first = _store.Claim("w1", 1, TimeSpan.FromSeconds(1), "noop").Single();
        Assert.That(Write(first, "{\"next\":5}", [], 10), Is.True);

        _store.Now += 2_000; // the lease expires; another worker reclaims the job
        var second = _store.Claim("w2", 1, TimeSpan.FromSeconds(30), "noop").Single();
        var late = new NewJob("video_probe", "{}") { ParentJobId = parent };
        Assert.That(Write(first, "{\"next\":6}", [late], 20), Is.False);
        Assert.That(_store.Count("SELECT COUNT(*) FROM jobs WHERE task_type = 'video_probe'"), Is.Zero);
        Assert.That(CheckpointStore.Read(_store.Connection, parent), Is.EqualTo("{\"next\":5}"), "what the new attempt resumes from");
        Assert.That(Write(second, "{\"next\":6}", [late], 20), Is.True);
    }

    [Test]
    public void Unfinished_ListsQueuedAndRunningJobsOnly()
    {
        var queued = _store.Submit("a");
        var running = _store.Submit("b");
        var done = _store.Submit("c");
        _store.Claim(1, "b");
        Assert.That(_store.Apply(_store.Claim(1, "c").Single(), new JobOutcome(OutcomeKind.Completed)), Is.True);

        Assert.That(CheckpointStore.Unfinished(_store.Connection, [queued, running, done, "missing"]), Is.EquivalentTo(new[] { queued, running }));
        Assert.That(CheckpointStore.Unfinished(_store.Connection, []), Is.Empty);
    }

    [Test]
    public void APurge_RemovesTheCheckpointsOfTheJobsItDeletes()
    {
        var id = _store.Submit();
        var job = _store.Claim(1, "noop").Single();
        Assert.That(Write(job, "{}", [], null), Is.True);
        Assert.That(_store.Apply(job, new JobOutcome(OutcomeKind.Completed)), Is.True);

        JobAdministration.Purge(_store.Connection, _store.Now + 1, null);
        Assert.That(_store.Count("SELECT COUNT(*) FROM jobs"), Is.Zero);
        Assert.That(_store.Count("SELECT COUNT(*) FROM job_checkpoints"), Is.Zero);
        Assert.That(CheckpointStore.Read(_store.Connection, id), Is.Null);
    }

    private bool Write(ClaimedJob job, string state, IReadOnlyList<NewJob> followUps, int? progress)
    {
        using var transaction = WriteTransaction.Begin(_store.Connection);
        var written = CheckpointStore.Write(_store.Connection, job, new CheckpointRows(state, followUps, [], [], progress), _store.Now);
        transaction.Commit();
        return written;
    }
}
