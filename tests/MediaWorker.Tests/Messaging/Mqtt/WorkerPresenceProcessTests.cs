using System.Diagnostics;
using System.Globalization;
using Dapper;
using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Tests.Plugins.Support;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Messaging.Mqtt;

/// <summary>
/// SPEC 7 as a subscriber sees it: real <c>mediaworker run</c> processes with BROADCAST_TYPE=mqtt,
/// a real mosquitto, signals, crashes and a broker restart.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class WorkerPresenceProcessTests
{
    private const int KeepAliveSeconds = 5;
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Test]
    public async Task SigKill_TheWillClearsTheCapability_WithinKeepaliveAndAHalf()
    {
        await using var run = await WatchedWorker.StartAsync("w-kill");

        var killedAt = DateTime.UtcNow;
        run.Worker.Kill();

        var cleared = await run.Live.WaitForAsync(m => m.Payload.Length == 0, Patience);
        Assert.That(cleared.ReceivedAt - killedAt, Is.LessThan(TimeSpan.FromSeconds((KeepAliveSeconds * 1.5) + 2)));
        Assert.That(await MosquittoSubscriber.ReadRetainedAsync(run.Broker, "inference/workers/w-kill"), Is.Null);
    }

    [Test]
    public async Task FrozenWorker_LikeACutCable_IsClearedByTheKeepalive_AndReannouncesWithAHigherSessionWhenBack()
    {
        await using var run = await WatchedWorker.StartAsync("w-frozen");

        // SIGSTOP: the socket stays open but nothing is sent, as with a pulled cable; only the keepalive notices.
        var frozenAt = DateTime.UtcNow;
        run.Worker.Signal(19);
        var cleared = await run.Live.WaitForAsync(m => m.Payload.Length == 0, TimeSpan.FromSeconds(25));
        run.Worker.Signal(18);

        // mosquitto 2.0 sweeps keepalives only every 6 s (keepalive__check: last check + 5 < now),
        // so the will fires between 1.5 x keepalive and that plus 7 s after the last packet.
        Assert.That(cleared.ReceivedAt - frozenAt, Is.InRange(TimeSpan.FromSeconds(KeepAliveSeconds - 1), TimeSpan.FromSeconds((KeepAliveSeconds * 1.5) + 7 + 1)));
        var back = await run.Live.WaitForAsync(m => m.Json is not null && m.ReceivedAt > cleared.ReceivedAt, Patience);
        Assert.That((long)back.Json!["session"]!, Is.EqualTo(2), run.Worker.OutputText);
    }

    [Test]
    public async Task SigTerm_AnnouncesDraining_AndTheCapabilityIsGoneWhenTheProcessHasExited()
    {
        await using var run = await WatchedWorker.StartAsync("w-term");

        run.Worker.Terminate();
        Assert.That(await run.Worker.WaitForExitAsync(Patience), Is.True, run.Worker.OutputText);

        Assert.That(run.Worker.ExitCode, Is.Zero, run.Worker.OutputText);
        Assert.That(await MosquittoSubscriber.ReadRetainedAsync(run.Broker, "inference/workers/w-term"), Is.Null);
        var statuses = run.Live.Messages.Select(m => m.Json is null ? "(cleared)" : (string)m.Json["status"]!).ToList();
        Assert.That(statuses[^2..], Is.EqualTo(new[] { "draining", "(cleared)" }), MosquittoSubscriber.Describe(run.Live.Messages));
        Assert.That(run.Broker.Log, Has.Some.Contains("Client mediaworker-w-term disconnected."), "a clean DISCONNECT, not the will");
    }

    [Test]
    public async Task Capabilities_AreTheRequestedTasksThatAreLoaded_AndADroppedInPluginAddsItsTask()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var env = Environment(broker);
        await using var live = await MosquittoSubscriber.StartAsync(broker, "inference/workers/+");
        using var worker = await StartAsync(env, "w-tasks", "--tasks", "noop,dropin_echo,ghost.task", "--concurrency", "3");

        var retained = await EventuallyRetainedAsync(broker, "w-tasks");
        Assert.That(retained.Retained, Is.True);
        Assert.That(Capabilities(retained), Is.EqualTo(new[] { "noop" }), "requested and loaded; dropin_echo is not loaded yet");
        Assert.That((int)retained.Json!["max_concurrency"]!, Is.EqualTo(3));
        Assert.That((int)retained.Json["idle_count"]!, Is.EqualTo(3));
        Assert.That((int)retained.Json["pid"]!, Is.EqualTo(worker.Pid));

        FixturePlugins.CopyInto(env.Environment["PLUGIN_DIR"]!, FixturePlugins.DropIn);

        var changed = await live.WaitForAsync(m => m.Json is not null && Capabilities(m).Count == 2, Patience);
        Assert.That(Capabilities(changed), Is.EquivalentTo(new[] { "noop", "dropin_echo" }), worker.OutputText);
        Assert.That(changed.Json!["plugins"]!.AsArray().Select(p => (string?)p!["name"]), Does.Contain("FixtureDropIn"));
        Assert.That((long)changed.Json["session"]!, Is.EqualTo(1), "the same connection");
    }

    [Test]
    public async Task JobEvents_ForSuccessPermanentFailureRetryAndCancel_ArriveInOrderWithTheirFields()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var env = Environment(broker);
        // Long enough that the retried attempt cannot be claimed before its "retrying" event is out.
        env.Environment["JOB_RETRY_BACKOFF_BASE"] = "0.5";
        await using var events = await MosquittoSubscriber.StartAsync(broker, "inference/events");
        using var worker = await StartAsync(env, "w-events", "--concurrency", "4");
        var ok = new NewJob("noop", "{}");
        var bad = new NewJob("noop", "[1]"); // params that are not a JSON object can never succeed
        var flaky = new NewJob("sleep", """{"seconds": 5}""") { TimeoutSeconds = 0.2, MaxRetries = 1 };
        var slow = new NewJob("sleep", """{"seconds": 60}""");
        using var db = env.Open();
        JobSubmitter.InsertMany(db, [ok, bad, flaky, slow], Now());
        await events.WaitForAsync(m => IsEvent(m, slow.JobId, "processing"), Patience);
        _ = JobAdministration.Cancel(db, slow.JobId, Now());

        await events.WaitForAsync(m => IsEvent(m, slow.JobId, "cancelled"), Patience);
        await events.WaitForAsync(m => IsEvent(m, flaky.JobId, "failed"), Patience);

        Assert.That(Sequence(events, ok.JobId), Is.EqualTo(new[] { "processing/1/0", "completed/1/100" }));
        Assert.That(Sequence(events, bad.JobId), Is.EqualTo(new[] { "processing/1/0", "failed/1/0" }));
        Assert.That(Sequence(events, flaky.JobId), Is.EqualTo(new[] { "processing/1/0", "retrying/1/0", "processing/2/0", "failed/2/0" }));
        Assert.That(Sequence(events, slow.JobId), Is.EqualTo(new[] { "processing/1/0", "cancelled/1/0" }));
        var all = events.Messages.Select(m => m.Json!).ToList();
        Assert.That(events.Messages.All(m => !m.Retained && m.Qos == 1));
        Assert.That(all.All(e => (string?)e["worker_id"] == "w-events"));
        Assert.That(all.Where(e => (string?)e["job_id"] == bad.JobId).Select(e => (string?)e["task_type"]), Is.All.EqualTo("noop"));
        Assert.That((string?)all.Single(e => (string?)e["job_id"] == bad.JobId && (string?)e["event_type"] == "failed")["error"], Does.Contain("params must be a JSON object"));
        Assert.That((string?)all.Single(e => (string?)e["job_id"] == flaky.JobId && (string?)e["event_type"] == "retrying")["error"], Does.Contain("Timed out"));
        Assert.That(all.Where(e => (string?)e["event_type"] is "processing" or "completed" or "cancelled").Select(e => e.ContainsKey("error")), Is.All.False);
        Assert.That(all.Select(e => (long)e["timestamp"]!), Is.All.EqualTo(Now()).Within(60_000));
    }

    [Test]
    public async Task BrokerRestartMidRun_JobsKeepCompleting_AndTheCapabilityReturnsWithAHigherSession()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var env = Environment(broker);
        using var worker = await StartAsync(env, "w-restart");
        await EventuallyRetainedAsync(broker, "w-restart");
        using var db = env.Open();

        await broker.StopAsync();
        var jobs = Enumerable.Range(0, 20).Select(_ => new NewJob("noop", "{}")).ToList();
        JobSubmitter.InsertMany(db, jobs, Now());
        Assert.That(await DaemonEnvironment.EventuallyAsync(() => CompletedCount(db) == jobs.Count, Patience), Is.True, "jobs complete while the broker is down\n" + worker.OutputText);
        await broker.StartAgainAsync();

        var back = await EventuallyRetainedAsync(broker, "w-restart", m => (long)m.Json!["session"]! == 2);
        Assert.That((string?)back.Json!["status"], Is.EqualTo("idle"));
        Assert.That(worker.Output.Count(l => l.Contains("MQTT connection to", StringComparison.Ordinal) && l.Contains("lost", StringComparison.Ordinal)), Is.EqualTo(1), worker.OutputText);
        Assert.That(worker.Output.Count(l => l.Contains("MQTT connected", StringComparison.Ordinal)), Is.EqualTo(2), worker.OutputText);
    }

    [Test]
    public async Task AThousandNoopJobs_DoNotFloodTheCapabilityTopic()
    {
        const int JobCount = 1000;
        await using var broker = await MosquittoBroker.StartAsync();
        using var env = Environment(broker);
        env.Environment["LOG_LEVEL"] = "warning";
        await using var live = await MosquittoSubscriber.StartAsync(broker, "inference/workers/+", "inference/events");
        using var worker = env.StartWorker("w-burst", "--concurrency", "4");
        await live.WaitForAsync(m => m.Topic == "inference/workers/w-burst", Startup);
        using var db = env.Open();

        var burst = Stopwatch.StartNew();
        JobSubmitter.InsertMany(db, Enumerable.Range(0, JobCount).Select(_ => new NewJob("noop", "{}")), Now());
        Assert.That(await DaemonEnvironment.EventuallyAsync(() => CompletedCount(db) == JobCount, TimeSpan.FromSeconds(60)), Is.True, worker.OutputText);
        var seconds = burst.Elapsed.TotalSeconds;
        await live.WaitForCountAsync(m => m.Topic == "inference/events", 2 * JobCount, Patience);
        await Task.Delay(1500); // the trailing change message

        var capability = live.Messages.Where(m => m.Topic == "inference/workers/w-burst").ToList();
        TestContext.Progress.WriteLine($"{JobCount} jobs in {seconds:0.0} s: {capability.Count} capability messages, {2 * JobCount} job events");
        Assert.That(capability, Has.Count.LessThanOrEqualTo((int)Math.Ceiling(seconds) + 3), MosquittoSubscriber.Describe(capability));
        Assert.That((string?)capability[^1].Json!["status"], Is.EqualTo("idle"), "the last message tells the final state");
    }

    private static DaemonEnvironment Environment(MosquittoBroker broker)
    {
        var env = new DaemonEnvironment();
        env.Environment["BROADCAST_TYPE"] = "mqtt";
        env.Environment["MQTT_URL"] = broker.Url;
        env.Environment["MQTT_KEEPALIVE"] = KeepAliveSeconds.ToString(CultureInfo.InvariantCulture);
        env.Environment["MQTT_RECONNECT_MIN"] = "0.1";
        env.Environment["MQTT_RECONNECT_MAX"] = "0.5";
        return env;
    }

    private static async Task<WorkerProcess> StartAsync(DaemonEnvironment env, string workerId, params string[] args)
    {
        var worker = env.StartWorker(workerId, args);
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);
        return worker;
    }

    private static async Task<MosquittoSubscriber.Message> EventuallyRetainedAsync(MosquittoBroker broker, string workerId, Func<MosquittoSubscriber.Message, bool>? predicate = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var retained = await MosquittoSubscriber.ReadRetainedAsync(broker, $"inference/workers/{workerId}");
            if (retained?.Json is not null && (predicate is null || predicate(retained)))
            {
                return retained;
            }

            Assert.That(deadline.Elapsed, Is.LessThan(Patience), $"the retained capability of {workerId} never matched; last: {retained?.Payload ?? "(none)"}");
            await Task.Delay(100);
        }
    }

    private static List<string?> Capabilities(MosquittoSubscriber.Message message) =>
        message.Json!["capabilities"]!.AsArray().Select(c => (string?)c).ToList();

    private static bool IsEvent(MosquittoSubscriber.Message message, string jobId, string eventType) =>
        message.Json is { } json && (string?)json["job_id"] == jobId && (string?)json["event_type"] == eventType;

    /// <summary>A job's events as "type/attempt/progress", in arrival order.</summary>
    private static List<string> Sequence(MosquittoSubscriber events, string jobId) =>
        events.Messages.Select(m => m.Json!).Where(e => (string?)e["job_id"] == jobId)
            .Select(e => $"{(string?)e["event_type"]}/{(int)e["attempt"]!}/{(int)e["progress"]!}")
            .ToList();

    private static long CompletedCount(Microsoft.Data.Sqlite.SqliteConnection db) => db.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE status = 'completed'");

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>A broker, a worker process announcing itself on it, and a subscriber that has seen its first capability message.</summary>
    private sealed class WatchedWorker : IAsyncDisposable
    {
        private readonly DaemonEnvironment _environment;

        private WatchedWorker(MosquittoBroker broker, DaemonEnvironment environment, MosquittoSubscriber live, WorkerProcess worker)
        {
            Broker = broker;
            _environment = environment;
            Live = live;
            Worker = worker;
        }

        public MosquittoBroker Broker { get; }

        public MosquittoSubscriber Live { get; }

        public WorkerProcess Worker { get; }

        public static async Task<WatchedWorker> StartAsync(string workerId)
        {
            var broker = await MosquittoBroker.StartAsync();
            var environment = Environment(broker);
            MosquittoSubscriber? live = null;
            try
            {
                live = await MosquittoSubscriber.StartAsync(broker, "inference/workers/+");
                var run = new WatchedWorker(broker, environment, live, environment.StartWorker(workerId));
                await live.WaitForAsync(m => m.Json is not null, Startup);
                return run;
            }
            catch
            {
                // DaemonEnvironment disposes the worker it started.
                environment.Dispose();
                if (live is not null)
                {
                    await live.DisposeAsync();
                }

                await broker.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            Worker.Dispose();
            _environment.Dispose();
            await Live.DisposeAsync();
            await Broker.DisposeAsync();
        }
    }
}
