using Dapper;
using MediaWorker.JobRequests;
using MediaWorker.Storage;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Storage;

/// <summary>The claim query honours paused task types: queued and expired-lease jobs wait, others run.</summary>
public sealed class PausedQueueClaimTests
{
    private StoreFixture _store = null!;

    [SetUp]
    public void SetUp() => _store = new StoreFixture();

    [TearDown]
    public void TearDown() => _store.Dispose();

    [Test]
    public void APausedTaskType_IsNotClaimed_OthersAre_AndResumingReleasesIt()
    {
        var image = _store.Submit("image_resize");
        var noop = _store.Submit("noop");
        var queues = new QueueActions(_store.Connection, () => _store.Now);
        Assert.That(queues.Pause("image_resize", "test", "disk full"), Is.True);
        Assert.That(queues.Pause("image_resize", "test", "again"), Is.False, "the first pause is kept");

        Assert.That(_store.Claim(10, "image_resize", "noop").Select(j => j.JobId), Is.EqualTo(new[] { noop }));
        Assert.That(_store.Row(image).Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(queues.Paused().Single(), Is.EqualTo(new QueuePause { TaskType = "image_resize", PausedAt = _store.Now, PausedBy = "test", Reason = "disk full" }));

        queues.Resume("image_resize");

        Assert.That(_store.Claim(10, "image_resize", "noop").Select(j => j.JobId), Is.EqualTo(new[] { image }));
        Assert.That(() => queues.Resume("image_resize"), Throws.TypeOf<JobRequestException>().With.Message.EqualTo("Task type 'image_resize' is not paused; nothing to resume."));
    }

    [Test]
    public void AnExpiredLease_OfAPausedTaskType_WaitsForTheResume()
    {
        var id = _store.Submit("noop");
        Assert.That(_store.Claim("w-dead", 1, TimeSpan.FromSeconds(1), "noop"), Has.Count.EqualTo(1));
        PausedQueues.Pause(_store.Connection, "noop", null, null, _store.Now);
        _store.Now += 5_000;

        Assert.That(_store.Claim("w2", 1, TimeSpan.FromSeconds(30), "noop"), Is.Empty);

        PausedQueues.Resume(_store.Connection, "noop");
        Assert.That(_store.Claim("w2", 1, TimeSpan.FromSeconds(30), "noop").Single().JobId, Is.EqualTo(id));
    }

    [Test]
    public void TheClaimStillWalksTheQueueIndex_AndReadsThePauseByItsKey()
    {
        var plan = string.Join("\n", _store.Connection.Query<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + JobClaimer.BuildSql(2), new
        {
            now = 0,
            until = 0,
            owner = "w",
            token = "t",
            limit = 1,
            t0 = "a",
            n0 = 1,
            t1 = "b",
            n1 = 1,
        }).Select(r => r.Detail));
        Assert.That(plan, Does.Contain("jobs_queue"), plan);
        Assert.That(plan, Does.Contain("sqlite_autoindex_paused_queues_1"), plan);
        Assert.That(plan, Does.Not.Contain("SCAN jobs"), plan);
    }

    [TestCase("")]
    [TestCase("two words")]
    public void BadTaskTypes_AreRefused(string taskType) =>
        Assert.That(() => new QueueActions(_store.Connection, () => 0).Pause(taskType, null, null), Throws.TypeOf<MediaWorker.Cli.UsageException>());
}
