using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.Pipelines.Runs;
using MediaWorker.Testing;
using MediaWorker.Tests.Plugins.Support;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Pipelines;

/// <summary>
/// A DAG with a 50-item fan-out and a join, run by three real worker processes, one of them
/// SIGKILLed three times mid-run. Every step job records each execution in a side folder, so a
/// doubled step (a second job for the same step and item) or a lost one would show there.
/// </summary>
public sealed class PipelineCrashTests
{
    private const int Items = 50;

    [Test]
    public async Task KilledWorkers_NeitherLoseNorDoubleAStep_AndTheRunCompletes()
    {
        using var env = new DaemonEnvironment();
        env.Environment["WORKER_LEASE_SECONDS"] = "2";
        env.Environment["WORKER_CONCURRENCY"] = "4";
        env.Environment["LOG_LEVEL"] = "warning";
        FixturePlugins.CopyInto(env.Environment["PLUGIN_DIR"]!, FixturePlugins.ExecutionLog);
        var log = Directory.CreateDirectory(Path.Combine(env.ServerDirectory, "executions")).FullName;
        var definition = Path.Combine(env.ServerDirectory, "fan.json");
        File.WriteAllText(definition, """
            {"name": "fan", "steps": [
              {"name": "plan", "task": "logged_sleep", "params": {"seconds": 0.05, "log": "${input.log}", "echo": "${input.items}"}},
              {"name": "side", "task": "logged_sleep", "needs": "plan", "max_retries": 20, "params": {"seconds": 1.5, "log": "${input.log}"}},
              {"name": "fan", "task": "logged_sleep", "needs": "plan", "for_each": "steps.plan.output.echo", "max_retries": 20,
               "params": {"seconds": "${item}", "log": "${input.log}", "echo": "${index}"}},
              {"name": "join", "task": "logged_sleep", "needs": ["side", "fan"], "max_retries": 20,
               "params": {"seconds": 0.05, "log": "${input.log}", "echo": "${length(steps.fan.output)}"}}
            ]}
            """);
        var random = new Random(17);
        var input = new JsonObject { ["log"] = log, ["items"] = new JsonArray([.. Enumerable.Range(0, Items).Select(_ => (JsonNode)JsonValue.Create(random.Next(300, 900) / 1000.0))]) };

        var (code, output) = await env.CliAsync("pipeline", "run", definition, "--input", input.ToJsonString());
        Assert.That(code, Is.Zero, output);
        var runId = output.Trim().Split('\n')[^1].Trim();

        var workers = new List<WorkerProcess>();
        WorkerProcess Start(string id)
        {
            var worker = env.StartWorker(id);
            workers.Add(worker);
            return worker;
        }

        var victim = Start("pipe-0");
        Start("pipe-1");
        Start("pipe-2");
        using var check = env.Open();
        long FanDone() => check.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs j JOIN pipeline_step_jobs s ON s.job_id = j.job_id WHERE s.step = 'fan' AND j.status = 'completed'");
        var killedPids = new HashSet<int>();
        foreach (var threshold in new[] { 3, 15, 30 })
        {
            Assert.That(await DaemonEnvironment.EventuallyAsync(() => FanDone() >= threshold, TimeSpan.FromSeconds(60)), Is.True, $"fan-out reached {threshold}");
            killedPids.Add(victim.Pid);
            victim.Kill();
            TestContext.Progress.WriteLine($"SIGKILL pid {victim.Pid} at {FanDone()} fan items completed");
            victim = Start("pipe-0");
        }

        string RunStatus() => PipelineRuns.Find(check, runId)!.Status;
        var finished = await DaemonEnvironment.EventuallyAsync(() => RunStatus() is PipelineStatus.Completed or PipelineStatus.Failed, TimeSpan.FromSeconds(120));
        var (statusCode, statusJson) = await env.CliAsync("pipeline", "run-status", runId);
        Assert.That(finished, Is.True, statusJson + "\n" + string.Join("\n", workers.Select(w => w.OutputText)));
        Assert.That(statusCode, Is.Zero);
        var run = JsonNode.Parse(statusJson)!;
        Assert.That(run["status"]!.GetValue<string>(), Is.EqualTo("completed"), statusJson);
        Assert.That(run["steps"]!.AsArray().Select(s => s!["status"]!.GetValue<string>()), Has.All.EqualTo("completed"));

        // One job per step and item, each completed once: the step-job key admits no second job.
        var stepJobs = check.Query<(string Step, long Item, string JobId)>("SELECT step, item, job_id FROM pipeline_step_jobs").ToList();
        Assert.That(stepJobs, Has.Count.EqualTo(Items + 3));
        Assert.That(check.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs"), Is.EqualTo(Items + 3), "no job outside the steps' own");
        Assert.That(check.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE status = 'completed'"), Is.EqualTo(Items + 3));

        // Executions: every step job ran; one that ran twice was first running in a killed process.
        var executions = Directory.GetFiles(log).Select(f => Path.GetFileName(f).Split(','))
            .Select(f => (JobId: f[0], Attempt: int.Parse(f[1], CultureInfo.InvariantCulture), Pid: int.Parse(f[3], CultureInfo.InvariantCulture)))
            .GroupBy(e => e.JobId).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Attempt).ToList());
        Assert.That(executions.Keys, Is.EquivalentTo(stepJobs.Select(s => s.JobId)), "exactly the step jobs executed");
        foreach (var (jobId, runs) in executions.Where(e => e.Value.Count > 1))
        {
            Assert.That(runs.SkipLast(1).Select(r => r.Pid), Has.All.Matches<int>(killedPids.Contains), $"job {jobId} ran again only after a kill");
        }

        var join = run["steps"]!.AsArray().Single(s => s!["step"]!.GetValue<string>() == "join")!;
        Assert.That(join["output"]!["echo"]!.GetValue<int>(), Is.EqualTo(Items), "the join saw every item's output");
        var fan = run["steps"]!.AsArray().Single(s => s!["step"]!.GetValue<string>() == "fan")!["output"]!.AsArray();
        Assert.That(fan.Select(o => o!["echo"]!.GetValue<int>()), Is.EqualTo(Enumerable.Range(0, Items)), "fan-in output in item order");
    }
}
