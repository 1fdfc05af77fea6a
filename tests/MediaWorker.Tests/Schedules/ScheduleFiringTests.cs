using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.JobRequests;
using MediaWorker.Pipelines.Definitions;
using MediaWorker.Pipelines.Runs;
using MediaWorker.Schedules;
using MediaWorker.Storage;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Schedules;

/// <summary>
/// Starting occurrences on a real SQLite file with a clock the test sets: once per occurrence,
/// late ones within the grace, missed ones by the catch-up policy, paused and broken schedules.
/// </summary>
public sealed class ScheduleFiringTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private StoreFixture _store = null!;

    [SetUp]
    public void SetUp() => _store = new StoreFixture { Now = Start.ToUnixTimeMilliseconds() };

    [TearDown]
    public void TearDown() => _store.Dispose();

    [Test]
    public void AnOccurrence_SubmitsOneJob_WithItsKey_AndTheScheduleMovesOn()
    {
        Add("every-minute", "* * * * *", priority: 7);
        Assert.That(FireAt(Start.AddSeconds(30)).SelectMany(r => r.Started), Is.Empty, "not due yet");

        var report = FireAt(Start.AddMinutes(1)).Single();

        var started = report.Started.Single();
        Assert.That(started.Occurrence, Is.EqualTo(Start.AddMinutes(1)));
        var job = _store.Row(started.Id);
        Assert.That(job.TaskType, Is.EqualTo("sleep"));
        Assert.That(job.Priority, Is.EqualTo(7));
        Assert.That(job.IdempotencyKey, Is.EqualTo("schedule:every-minute@2026-12-01T10:01:00Z"));
        Assert.That(job.CreatedBy, Is.EqualTo("schedule:every-minute"));
        Assert.That(JsonNode.Parse(job.Params!)!["seconds"]!.GetValue<double>(), Is.EqualTo(0.5));
        var schedule = ScheduleStore.Find(_store.Connection, "every-minute")!;
        Assert.That(schedule.NextRunAt, Is.EqualTo(Start.AddMinutes(2).ToUnixTimeMilliseconds()));
        Assert.That(schedule.LastRunAt, Is.EqualTo(Start.AddMinutes(1).ToUnixTimeMilliseconds()));
        Assert.That(schedule.LastJobId, Is.EqualTo(started.Id));

        Assert.That(FireAt(Start.AddMinutes(1).AddSeconds(1)), Is.Empty, "a second pass at the same occurrence starts nothing");
        Assert.That(Jobs(), Is.EqualTo(1));
    }

    [Test]
    public void APipelineTarget_StartsOneRunPerOccurrence_WithItsInput_AndAnUnstoredPipelineIsRefused()
    {
        var refused = Assert.Throws<JobRequestException>(() => Actions(Start).Add(new ScheduleRequest("nightly-qa", "* * * * *", string.Empty, []) { Pipeline = "qa" }, replace: false));
        Assert.That(refused!.Message, Does.Contain("No pipeline 'qa' is stored"));
        const string Definition = """{"name": "qa", "steps": [{"name": "first", "task": "noop", "params": {"path": "${input.path}"}}]}""";
        var (definition, errors) = DefinitionReader.Read(Definition);
        Assert.That(errors, Is.Empty);
        PipelineStore.Save(_store.Connection, definition!, Definition, _store.Now);
        Actions(Start).Add(new ScheduleRequest("nightly-qa", "* * * * *", string.Empty, new JsonObject { ["path"] = "a.mp4" }) { Pipeline = "qa" }, replace: false);

        var started = FireAt(Start.AddMinutes(2)).Single().Started;
        Assert.That(FireAt(Start.AddMinutes(2)), Is.Empty, "a second pass at the same occurrences starts nothing");

        Assert.That(started, Has.Count.EqualTo(2));
        Assert.That(_store.Count("SELECT COUNT(*) FROM pipeline_runs"), Is.EqualTo(2));
        var run = PipelineRuns.Find(_store.Connection, started[0].Id)!;
        Assert.That(run, Is.Not.Null, "the started id is the run's id");
        Assert.That(_store.Connection.ExecuteScalar<string>("SELECT input FROM pipeline_runs WHERE run_id = @id", new { id = started[0].Id }), Does.Contain("a.mp4"));
        Assert.That(_store.Count("SELECT COUNT(*) FROM jobs WHERE task_type = 'noop'"), Is.EqualTo(2), "each run released its first step");
        Assert.That(ScheduleStore.Find(_store.Connection, "nightly-qa")!.Target, Does.Contain("\"kind\":\"pipeline\""));
    }

    [Test]
    public void OccurrencesLateWithinTheGrace_AllRun_OnceEach()
    {
        Add("every-second", "* * * * * *");

        var started = FireAt(Start.AddSeconds(10)).Single().Started;

        Assert.That(started.Select(s => s.Occurrence), Is.EqualTo(Enumerable.Range(1, 10).Select(i => Start.AddSeconds(i))));
        Assert.That(Jobs(), Is.EqualTo(10));
    }

    [Test]
    public void AfterDowntime_Skip_RunsOnlyWhatIsWithinTheGrace()
    {
        Add("hourly", "0 * * * *");
        var downUntil = Start.AddHours(5).AddMinutes(30);

        var report = FireAt(downUntil).Single();

        Assert.That(report.Started, Is.Empty);
        Assert.That(report.MissedFrom, Is.EqualTo(Start.AddHours(1)));
        Assert.That(report.MissedUntil, Is.EqualTo(Start.AddHours(5)));
        Assert.That(Jobs(), Is.Zero);
        Assert.That(ScheduleStore.Find(_store.Connection, "hourly")!.NextRunAt, Is.EqualTo(Start.AddHours(6).ToUnixTimeMilliseconds()));
    }

    [Test]
    public void AfterDowntime_RunOnce_RunsTheLatestMissedOccurrenceOnce()
    {
        Add("hourly", "0 * * * *", catchUp: "run_once");

        var report = FireAt(Start.AddHours(5).AddMinutes(30)).Single();

        Assert.That(report.Started.Select(s => s.Occurrence), Is.EqualTo(new[] { Start.AddHours(5) }));
        Assert.That(Jobs(), Is.EqualTo(1));
        Assert.That(FireAt(Start.AddHours(5).AddMinutes(31)), Is.Empty);
    }

    [Test]
    public void TwoWritersThatReadTheSameRow_StillMakeOneJobPerOccurrence()
    {
        Add("every-second", "* * * * * *");
        var before = ScheduleStore.Find(_store.Connection, "every-second")!.NextRunAt;
        FireAt(Start.AddSeconds(3));

        // What an overlapping writer sees under READ COMMITTED: the row as it was before the first commit.
        _store.Connection.Execute("UPDATE schedules SET next_run_at = @before", new { before });
        var again = FireAt(Start.AddSeconds(3)).Single();

        Assert.That(again.Started, Has.Count.EqualTo(3));
        Assert.That(again.Started.Any(s => s.Created), Is.False, "every occurrence's key existed");
        Assert.That(Jobs(), Is.EqualTo(3));
    }

    [Test]
    public void APausedSchedule_StartsNothing_AndResumesFromTheNextOccurrence()
    {
        Add("every-minute", "* * * * *");
        var actions = Actions(Start);
        Assert.That(actions.Pause("every-minute").NextRunAt, Is.Null);
        Assert.That(FireAt(Start.AddMinutes(10)), Is.Empty);

        var resumed = Actions(Start.AddMinutes(10).AddSeconds(5)).Resume("every-minute");

        Assert.That(resumed.IsPaused, Is.False);
        Assert.That(resumed.NextRunAt, Is.EqualTo(Start.AddMinutes(11).ToUnixTimeMilliseconds()), "what was due while paused does not run");
        Assert.That(FireAt(Start.AddMinutes(11)).Single().Started, Has.Count.EqualTo(1));
    }

    [Test]
    public void ABrokenStoredSchedule_IsReported_AndLookedAtAgainInAMinute()
    {
        Add("broken", "* * * * *");
        _store.Connection.Execute("UPDATE schedules SET cron = 'whenever'");

        var report = FireAt(Start.AddMinutes(1)).Single();

        Assert.That(report.Error, Does.Contain("Schedule 'broken' cannot start its occurrences").And.Contain("'whenever'").And.Contain("--replace"));
        var row = ScheduleStore.Find(_store.Connection, "broken")!;
        Assert.That(row.LastError, Is.EqualTo(report.Error));
        Assert.That(row.NextRunAt, Is.EqualTo(Start.AddMinutes(2).ToUnixTimeMilliseconds()));
        Assert.That(Jobs(), Is.Zero);
    }

    [Test]
    public void Replacing_Redefines_AndAddingATakenName_IsAConflict()
    {
        Add("nightly", "0 3 * * *");
        Assert.That(() => Add("nightly", "0 4 * * *"), Throws.TypeOf<JobRequests.JobRequestException>().With.Message.Contains("exists already"));

        var replaced = Actions(Start).Add(new ScheduleRequest("nightly", "0 4 * * *", "noop", []) { TimeZone = "Europe/Berlin" }, replace: true);

        Assert.That(replaced.Cron, Is.EqualTo("0 4 * * *"));
        Assert.That(replaced.TimeZone, Is.EqualTo("Europe/Berlin"));
        Assert.That(replaced.NextRunAt, Is.EqualTo(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()), "04:00 CET");
        Actions(Start).Remove("nightly");
        Assert.That(() => Actions(Start).Find("nightly"), Throws.TypeOf<JobRequests.JobRequestException>().With.Message.Contains("No schedule 'nightly'"));
    }

    private void Add(string name, string cron, int priority = 5, string? catchUp = null) =>
        Actions(Start).Add(new ScheduleRequest(name, cron, "sleep", new JsonObject { ["seconds"] = 0.5 }) { Priority = priority, CatchUp = catchUp }, replace: false);

    private ScheduleActions Actions(DateTimeOffset now) => new(_store.Connection, "test.db", () => now.ToUnixTimeMilliseconds());

    private IReadOnlyList<FiringReport> FireAt(DateTimeOffset now)
    {
        using var transaction = WriteTransaction.Begin(_store.Connection);
        var reports = ScheduleFiring.FireDue(_store.Connection, now.ToUnixTimeMilliseconds(), Grace);
        transaction.Commit();
        return reports;
    }

    private long Jobs() => _store.Count("SELECT COUNT(*) FROM jobs");
}
