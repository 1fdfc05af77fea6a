using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.JobRequests;
using MediaWorker.Pipelines.Definitions;
using MediaWorker.Pipelines.Runs;
using MediaWorker.Storage;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Pipelines;

/// <summary>
/// The run engine on a real SQLite file, driven through the worker's own claim and outcome writes
/// (JobClaimer, LeasedJobWriter), one job at a time, so every intermediate state can be checked.
/// </summary>
public sealed class PipelineEngineTests
{
    private StoreFixture _store = null!;

    [SetUp]
    public void SetUp() => _store = new StoreFixture();

    [TearDown]
    public void TearDown() => _store.Dispose();

    private const string Dag = """
        {"name": "dag", "defaults": {"enable_extra": false}, "steps": [
          {"name": "plan", "task": "noop", "params": {"path": "${input.path}"}},
          {"name": "left", "task": "noop", "needs": "plan", "params": {"from": "${steps.plan.output.count}"}},
          {"name": "clips", "task": "noop", "needs": "plan", "for_each": "steps.plan.output.items", "params": {"start": "${item.start}", "n": "${index}", "src": "${input.path}"}},
          {"name": "extra", "task": "noop", "needs": "plan", "when": "input.enable_extra"},
          {"name": "join", "task": "noop", "needs": ["left", "clips", "extra"], "params": {"clips": "${length(steps.clips.output)}", "left": "${steps.left.output.ok}"}}
        ]}
        """;

    private void Store(string json)
    {
        var (definition, errors) = DefinitionReader.Read(json);
        Assert.That(errors, Is.Empty);
        PipelineStore.Save(_store.Connection, definition!, json, _store.Now);
    }

    private string Start(string pipeline, string input = "{}", string? key = null) => PipelineRuns.Start(_store.Connection, pipeline, input, key, _store.Now).RunId;

    private PipelineRunView View(string runId) => PipelineRuns.Find(_store.Connection, runId)!;

    private string StepStatus(string runId, string step) => View(runId).Steps.Single(s => s.Step == step).Status;

    /// <summary>Claims every queued noop job and completes it with the output <paramref name="outputOf"/> gives for its params.</summary>
    private List<JsonObject> CompleteAll(Func<JsonObject, JsonObject>? outputOf = null)
    {
        var claimed = _store.Claim(100, "noop");
        var done = new List<JsonObject>();
        foreach (var job in claimed)
        {
            var parameters = JsonNode.Parse(job.ParamsJson!)!.AsObject();
            Assert.That(_store.Apply(job, new JobOutcome(OutcomeKind.Completed) { OutputJson = (outputOf?.Invoke(parameters) ?? new JsonObject { ["ok"] = true }).ToJsonString() }), Is.True);
            done.Add(parameters);
        }

        return done;
    }

    [Test]
    public void ADag_WithFanOutJoinAndASkippedStep_RunsEachStepOnce_InOrder()
    {
        Store(Dag);
        var runId = Start("dag", """{"path": "/media/a.mp4"}""");
        Assert.That(View(runId).Status, Is.EqualTo(PipelineStatus.Queued));

        var first = CompleteAll(p => new JsonObject { ["count"] = 3, ["items"] = new JsonArray([.. Enumerable.Range(0, 3).Select(i => (JsonNode)new JsonObject { ["start"] = i * 1.5 })]) });
        Assert.That(first.Single()["path"]!.GetValue<string>(), Is.EqualTo("/media/a.mp4"));
        Assert.That(StepStatus(runId, "extra"), Is.EqualTo(PipelineStatus.Skipped), "when false");
        Assert.That(View(runId).Status, Is.EqualTo(PipelineStatus.Running));

        var second = CompleteAll(p => new JsonObject { ["ok"] = p["n"]?.GetValue<int>() ?? -1 });
        Assert.That(second, Has.Count.EqualTo(4), "left and three clips, released together");
        Assert.That(second.Where(p => p.ContainsKey("start")).Select(p => p["start"]!.GetValue<double>()), Is.EquivalentTo(new[] { 0, 1.5, 3 }));
        Assert.That(second.Single(p => p.ContainsKey("from"))["from"]!.GetValue<int>(), Is.EqualTo(3), "a whole-template value keeps its type");

        var join = CompleteAll().Single();
        Assert.That(join["clips"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(join["left"]!.GetValue<int>(), Is.EqualTo(-1));

        var run = View(runId);
        Assert.That(run.Status, Is.EqualTo(PipelineStatus.Completed));
        Assert.That(run.Run.CompletedAt, Is.Not.Null);
        Assert.That(JsonNode.Parse(run.Steps.Single(s => s.Step == "clips").Output!)!.AsArray().Select(o => o!["ok"]!.GetValue<int>()), Is.EqualTo(new[] { 0, 1, 2 }), "fan-in output in item order");
        Assert.That(_store.Count("SELECT COUNT(*) FROM jobs"), Is.EqualTo(6));
        Assert.That(_store.Claim(100, "noop"), Is.Empty);
    }

    [Test]
    public void AdvancingAgain_OrStartingWithTheSameKey_CreatesNothing()
    {
        Store(Dag);
        var runId = Start("dag", "{}", key: "once");
        Assert.That(Start("dag", "{}", key: "once"), Is.EqualTo(runId));
        StepAdvancer.Advance(_store.Connection, runId, _store.Now, null);
        StepAdvancer.Sweep(_store.Connection, _store.Now);
        Assert.That(_store.Count("SELECT COUNT(*) FROM jobs"), Is.EqualTo(1));
        Assert.That(_store.Count("SELECT COUNT(*) FROM pipeline_runs"), Is.EqualTo(1));
    }

    [Test]
    public void AnEmptyFanOut_CompletesWithAnEmptyList_AndReleasesTheJoin()
    {
        Store(Dag);
        var runId = Start("dag");
        CompleteAll(_ => new JsonObject { ["count"] = 0, ["items"] = new JsonArray() });
        Assert.That(StepStatus(runId, "clips"), Is.EqualTo(PipelineStatus.Completed));
        CompleteAll();
        CompleteAll();
        Assert.That(View(runId).Status, Is.EqualTo(PipelineStatus.Completed));
    }

    [Test]
    public void AFailedRequiredStep_FailsTheRun_WithTheReason_AndRetryResumesFromIt()
    {
        Store(Dag);
        var runId = Start("dag");
        CompleteAll(_ => new JsonObject { ["count"] = 2, ["items"] = new JsonArray(new JsonObject { ["start"] = 0 }, new JsonObject { ["start"] = 1 }) });
        var jobs = _store.Claim(100, "noop");
        var failing = jobs.First(j => j.ParamsJson!.Contains("\"n\":1", StringComparison.Ordinal));
        foreach (var job in jobs)
        {
            _store.Apply(job, job == failing ? new JobOutcome(OutcomeKind.Failed) { ErrorMessage = "bad frame" } : new JobOutcome(OutcomeKind.Completed) { OutputJson = "{}" });
        }

        var failed = View(runId);
        Assert.That(failed.Status, Is.EqualTo(PipelineStatus.Failed));
        Assert.That(failed.Run.Error, Does.Contain("step 'clips' failed").And.Contain(failing.JobId).And.Contain("(item 1)").And.Contain("bad frame"));
        Assert.That(StepStatus(runId, "join"), Is.EqualTo(PipelineStatus.Waiting), "nothing is released after a failure");

        PipelineRuns.Retry(_store.Connection, runId, _store.Now);
        var again = _store.Claim(100, "noop").Single();
        Assert.That(again.JobId, Is.EqualTo(failing.JobId), "only the failed item runs again");
        _store.Apply(again, new JobOutcome(OutcomeKind.Completed) { OutputJson = "{}" });
        CompleteAll();
        Assert.That(View(runId).Status, Is.EqualTo(PipelineStatus.Completed));
        Assert.That(_store.Count("SELECT COUNT(*) FROM jobs"), Is.EqualTo(5), "plan, left, two clips, join: nothing duplicated");
        Assert.Throws<JobRequestException>(() => PipelineRuns.Retry(_store.Connection, runId, _store.Now));
    }

    [Test]
    public void AnOptionalStep_ThatFails_IsSkipped_AndStepsUsingItsOutputAreSkippedToo()
    {
        Store("""
            {"name": "opt", "steps": [
              {"name": "ai", "task": "noop", "optional": true, "max_retries": 0},
              {"name": "uses_ai", "task": "noop", "needs": "ai", "params": {"x": "${steps.ai.output.summary}"}},
              {"name": "after_ai", "task": "noop", "needs": "ai", "when": "steps.ai.status == 'skipped'"}
            ]}
            """);
        var runId = Start("opt");
        var job = _store.Claim(1, "noop").Single();
        _store.Apply(job, new JobOutcome(OutcomeKind.Failed) { ErrorMessage = "GEMINI_API_KEY is not set" });
        var run = View(runId);
        Assert.That(run.Steps.Single(s => s.Step == "ai").Error, Does.Contain("optional step skipped").And.Contain("GEMINI_API_KEY"));
        Assert.That(run.Steps.Single(s => s.Step == "uses_ai").Status, Is.EqualTo(PipelineStatus.Skipped));
        Assert.That(run.Steps.Single(s => s.Step == "uses_ai").Error, Does.Contain("uses the output of step 'ai'"));
        CompleteAll();
        Assert.That(View(runId).Status, Is.EqualTo(PipelineStatus.Completed));
    }

    [Test]
    public void AStepWhoseTaskNoRunningWorkerOffers_IsSkippedWhenOptional_AndFailsTheRunOtherwise()
    {
        WorkerHeartbeats.Upsert(_store.Connection, new WorkerHeartbeatRow { WorkerId = "w1", Host = "h", Pid = 1, Capabilities = "[\"noop\"]", StartedAt = _store.Now, LastSeen = _store.Now, HeartbeatTimeoutMs = 60_000 });
        Store("""
            {"name": "speech", "steps": [
              {"name": "words", "task": "transcribe", "optional": true},
              {"name": "tail", "task": "noop", "needs": "words"}
            ]}
            """);
        var optional = Start("speech");
        Assert.That(View(optional).Steps.Single(s => s.Step == "words").Error, Does.Contain("no running worker offers task type 'transcribe'"));
        CompleteAll();
        Assert.That(View(optional).Status, Is.EqualTo(PipelineStatus.Completed));

        Store("""{"name": "speech", "steps": [{"name": "words", "task": "transcribe"}]}""");
        var required = View(Start("speech"));
        Assert.That(required.Status, Is.EqualTo(PipelineStatus.Failed));
        Assert.That(required.Run.Error, Does.Contain("step 'words' failed: no running worker offers task type 'transcribe'"));
        Assert.That(required.Run.Version, Is.EqualTo(2), "a changed definition is a new version");
    }

    [Test]
    public void Cancel_CancelsQueuedJobs_AsksRunningOnesToStop_AndRetryResumes()
    {
        Store(Dag);
        var runId = Start("dag");
        CompleteAll(_ => new JsonObject { ["count"] = 2, ["items"] = new JsonArray(new JsonObject { ["start"] = 0 }, new JsonObject { ["start"] = 1 }) });
        var running = _store.Claim(1, "noop").Single();

        PipelineRuns.Cancel(_store.Connection, runId, _store.Now);
        var cancelling = View(runId);
        Assert.That(cancelling.Status, Is.EqualTo(PipelineStatus.Cancelled));
        Assert.That(cancelling.Run.CompletedAt, Is.Null, "a job is still stopping");
        Assert.That(_store.Row(running.JobId).CancelRequested, Is.EqualTo(1));
        Assert.That(_store.Count("SELECT COUNT(*) FROM jobs WHERE status = 'cancelled'"), Is.EqualTo(2));
        Assert.That(StepStatus(runId, "join"), Is.EqualTo(PipelineStatus.Cancelled));
        Assert.Throws<JobRequestException>(() => PipelineRuns.Retry(_store.Connection, runId, _store.Now), "still stopping");

        _store.Apply(running, new JobOutcome(OutcomeKind.Cancelled));
        Assert.That(View(runId).Run.CompletedAt, Is.Not.Null);
        Assert.That(View(runId).Steps.Where(s => s.Step != "plan" && s.Step != "extra").Select(s => s.Status), Has.All.EqualTo(PipelineStatus.Cancelled));

        PipelineRuns.Retry(_store.Connection, runId, _store.Now);
        Assert.That(View(runId).Status, Is.EqualTo(PipelineStatus.Running));
        Assert.That(CompleteAll(), Has.Count.EqualTo(3), "left and both clips again; plan is kept");
        CompleteAll();
        Assert.That(View(runId).Status, Is.EqualTo(PipelineStatus.Completed));
        Assert.That(_store.Count("SELECT COUNT(*) FROM jobs"), Is.EqualTo(5));
    }

    [Test]
    public void CancellingOneStepJob_ByHand_EndsItsStep()
    {
        Store(Dag);
        var runId = Start("dag");
        var jobId = _store.Connection.ExecuteScalar<string>("SELECT job_id FROM jobs")!;
        Assert.That(JobAdministration.Cancel(_store.Connection, jobId, _store.Now), Is.EqualTo(CancelResult.Cancelled));
        Assert.That(View(runId).Status, Is.EqualTo(PipelineStatus.Failed));
        Assert.That(View(runId).Run.Error, Does.Contain("cancelled"));
    }

    [Test]
    public void AStepJob_FailedByTheLeaseReaper_FailsItsStep()
    {
        Store("""{"name": "one", "steps": [{"name": "only", "task": "noop", "max_retries": 0}]}""");
        var runId = Start("one");
        _store.Claim("dead-worker", 1, TimeSpan.FromSeconds(1), "noop");
        _store.Now += 5_000;
        Assert.That(_store.Claim(1, "noop"), Is.Empty, "no attempts left: the reaper fails it");
        var run = View(runId);
        Assert.That(run.Status, Is.EqualTo(PipelineStatus.Failed));
        Assert.That(run.Run.Error, Does.Contain("its lease expired"));
    }

    [Test]
    public void ABadExpressionAtRelease_FailsTheStep_NamingTheField()
    {
        Store("""{"name": "bad", "steps": [{"name": "a", "task": "noop"}, {"name": "b", "task": "noop", "needs": "a", "params": {"n": "${steps.a.output.count > 'x'}"}}]}""");
        var runId = Start("bad");
        CompleteAll(_ => new JsonObject { ["count"] = 1 });
        var run = View(runId);
        Assert.That(run.Status, Is.EqualTo(PipelineStatus.Failed));
        Assert.That(run.Run.Error, Does.Contain("step 'b' failed: params.n: '>' compares two numbers or two strings"));
    }
}
