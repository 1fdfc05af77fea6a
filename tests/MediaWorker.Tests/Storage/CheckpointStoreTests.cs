using Dapper;
using MediaWorker.JobRequests;
using MediaWorker.Pipelines.Definitions;
using MediaWorker.Pipelines.Runs;
using MediaWorker.Storage;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Storage;

/// <summary>
/// Schema steps 6 and 7: a checkpoint's state, follow-ups, pipeline runs, file releases and progress
/// land together, only under the lease.
/// </summary>
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
    public void Unfinished_TakesMoreIdsThanSqliteAllowsParameters()
    {
        // The list goes to SQLite as one JSON parameter: as one parameter per id, 40,000 ids would
        // exceed SQLite's 32,766-parameter limit and fail the look-up.
        var queued = _store.Submit("a");
        var ids = Enumerable.Range(0, 40_000).Select(i => $"missing-{i}").Append(queued).ToList();

        Assert.That(CheckpointStore.Unfinished(_store.Connection, ids), Is.EqualTo(new[] { queued }));
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

    [Test]
    public void ACheckpoint_StartsItsPipelineRun_OncePerKey_AndARunIsUnfinishedUntilItEnds()
    {
        StorePipeline();
        var parent = _store.Submit();
        var job = _store.Claim(1, "noop").Single();
        var run = new CheckpointRun("run-1", "segment_probe", "{\"path\":\"a.ts\"}", $"checkpoint:{parent}:segment-000001", "job:" + parent);

        Assert.That(Write(job, "{}", [], null, [run]), Is.True);
        Assert.That(Write(job, "{}", [], null, [run with { RunId = "run-2" }]), Is.True, "a second commit with the key starts nothing");
        Assert.That(_store.Count($"SELECT COUNT(*) FROM pipeline_runs WHERE created_by = 'job:{parent}'"), Is.EqualTo(1));
        var step = _store.Connection.ExecuteScalar<string>("SELECT job_id FROM pipeline_step_jobs WHERE run_id = 'run-1'")!;
        Assert.That(_store.Row(step).Status, Is.EqualTo(JobStatus.Queued), "its first step is released in the checkpoint");
        Assert.That(CheckpointStore.Unfinished(_store.Connection, ["run-1", "run-2"]), Is.EqualTo(new[] { "run-1" }));

        Assert.That(_store.Apply(_store.Claim(1, "video_probe").Single(), new JobOutcome(OutcomeKind.Completed) { OutputJson = "{}" }), Is.True);
        Assert.That(CheckpointStore.Unfinished(_store.Connection, ["run-1"]), Is.Empty, "the run completed with its step");
    }

    [Test]
    public void ACheckpointNamingAPipelineThatIsNotStored_IsRefused_AndItsFollowUpsAreNotQueued()
    {
        var parent = _store.Submit();
        var job = _store.Claim(1, "noop").Single();
        var followUp = new NewJob("video_probe", "{}") { ParentJobId = parent };
        var run = new CheckpointRun("run-1", "missing", "{}", $"checkpoint:{parent}:segment-000001", "job:" + parent);

        var error = Assert.Throws<JobRequestException>(() => Write(job, "{\"next\":1}", [followUp], null, [run]));
        Assert.That(error!.Message, Does.Contain("No pipeline 'missing' is stored"));
        Assert.That(CheckpointStore.Read(_store.Connection, parent), Is.Null);
        Assert.That(_store.Count("SELECT COUNT(*) FROM jobs WHERE task_type = 'video_probe'"), Is.Zero);
    }

    [Test]
    public void AReleasedFile_IsDue_OnceItsReadersFinished_OrAtItsDeadline_OnThisMachineOnly()
    {
        var reader = _store.Submit("video_probe");
        _store.Submit();
        var job = _store.Claim(1, "noop").Single();
        CheckpointRelease[] releases =
        [
            new(["/data/jobs/x/output/a.ts"], [reader], _store.Now + 60_000),
            new(["/data/jobs/x/output/b.ts", "/data/jobs/x/output/b.wav"], [reader], _store.Now - 1),
        ];
        Assert.That(Write(job, "{}", [], null, [], releases), Is.True);
        _store.Connection.Execute("INSERT INTO file_releases SELECT release_id || '-other', job_id, 'another-box', paths, '[]', 0, created_at FROM file_releases LIMIT 1");

        Assert.That(FileReleaseStore.Due(_store.Connection, _store.Now).SelectMany(r => r.Paths), Is.EqualTo(new[] { "/data/jobs/x/output/b.ts", "/data/jobs/x/output/b.wav" }), "past its deadline; the other still read");
        Assert.That(_store.Apply(_store.Claim(1, "video_probe").Single(), new JobOutcome(OutcomeKind.Failed) { ErrorMessage = "bad input" }), Is.True);
        var due = FileReleaseStore.Due(_store.Connection, _store.Now);
        Assert.That(due.SelectMany(r => r.Paths), Is.EquivalentTo(new[] { "/data/jobs/x/output/a.ts", "/data/jobs/x/output/b.ts", "/data/jobs/x/output/b.wav" }), "its reader ended (in any way); another box's release is not this one's");

        Assert.That(FileReleaseStore.Remove(_store.Connection, [.. due.Select(r => r.ReleaseId)]), Is.EqualTo(2));
        Assert.That(_store.Count("SELECT COUNT(*) FROM file_releases"), Is.EqualTo(1), "the other box's release stays for it");
    }

    private void StorePipeline()
    {
        const string json = """{"name": "segment_probe", "steps": [{"name": "probe", "task": "video_probe", "params": {"input_path": "${input.path}"}}]}""";
        var (definition, errors) = DefinitionReader.Read(json);
        Assert.That(errors, Is.Empty);
        PipelineStore.Save(_store.Connection, definition!, json, _store.Now);
    }

    private bool Write(ClaimedJob job, string state, IReadOnlyList<NewJob> followUps, int? progress, IReadOnlyList<CheckpointRun>? runs = null, IReadOnlyList<CheckpointRelease>? releases = null)
    {
        using var transaction = WriteTransaction.Begin(_store.Connection);
        var written = CheckpointStore.Write(_store.Connection, job, new CheckpointRows(state, followUps, runs ?? [], releases ?? [], progress), _store.Now);
        transaction.Commit();
        return written;
    }
}
