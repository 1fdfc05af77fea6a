using System.Text.Json.Nodes;
using MediaWorker.Cli;
using MediaWorker.Schedules;
using NUnit.Framework;

namespace MediaWorker.Tests.Schedules;

/// <summary>Cron parsing with Cronos: field counts, seconds, macros, zones, and the messages for bad input.</summary>
public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset Winter = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Summer = new(2026, 7, 15, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void FiveFields_AreMinutes_InUtcByDefault()
    {
        var cron = CronSchedule.Parse("*/15 * * * *", null);
        Assert.That(cron.ZoneId, Is.EqualTo("UTC"));
        Assert.That(cron.NextAfter(Winter), Is.EqualTo(Winter.AddMinutes(15)));
    }

    [Test]
    public void SixFields_StartWithSeconds()
    {
        var cron = CronSchedule.Parse("*/10 * * * * *", "UTC");
        Assert.That(cron.NextAfter(Winter), Is.EqualTo(Winter.AddSeconds(10)));
        Assert.That(cron.Between(Winter, Winter.AddSeconds(30)).ToList(), Has.Count.EqualTo(4), "both ends included");
    }

    [TestCase("@hourly", 3600)]
    [TestCase("@every_second", 1)]
    [TestCase("@every_minute", 60)]
    public void Macros_Parse(string macro, int seconds) =>
        Assert.That(CronSchedule.Parse(macro, null).NextAfter(Winter), Is.EqualTo(Winter.AddSeconds(seconds)));

    [Test]
    public void AZone_PutsTheOccurrenceAtLocalTime_AcrossDaylightSaving()
    {
        var cron = CronSchedule.Parse("0 3 * * *", "Europe/Berlin");
        Assert.That(cron.NextAfter(Winter), Is.EqualTo(new DateTimeOffset(2026, 1, 16, 2, 0, 0, TimeSpan.Zero)), "03:00 CET is 02:00 UTC");
        Assert.That(cron.NextAfter(Summer), Is.EqualTo(new DateTimeOffset(2026, 7, 16, 1, 0, 0, TimeSpan.Zero)), "03:00 CEST is 01:00 UTC");
    }

    [TestCase("", "The cron expression is empty")]
    [TestCase("* * * *", "has 4 field(s); give 5 (minute hour day-of-month month day-of-week) or 6 (with seconds first)")]
    [TestCase("61 * * * *", "The cron expression '61 * * * *' is not valid")]
    [TestCase("@sometimes", "The cron expression '@sometimes' is not valid")]
    public void BadExpressions_AreUsageErrors_ThatSayWhy(string expression, string message) =>
        Assert.That(() => CronSchedule.Parse(expression, null), Throws.TypeOf<UsageException>().With.Message.Contains(message));

    [Test]
    public void AnUnknownZone_IsAUsageError_NamingIanaNames() =>
        Assert.That(() => CronSchedule.Parse("* * * * *", "Mars/Olympus"), Throws.TypeOf<UsageException>()
            .With.Message.Contains("The time zone 'Mars/Olympus' is not known").And.Message.Contains("Europe/Berlin"));

    [Test]
    public void AnExpressionThatNeverOccurs_IsRefusedWhenAdded() =>
        Assert.That(() => Request("0 0 30 2 *").ToRecord(Winter), Throws.TypeOf<UsageException>().With.Message.Contains("never occurs"));

    [TestCase("bad name")]
    [TestCase("")]
    [TestCase("a/b")]
    public void BadNames_AreRefused(string name) =>
        Assert.That(() => (Request("* * * * *") with { Name = name }).ToRecord(Winter), Throws.TypeOf<UsageException>().With.Message.Contains("is not allowed"));

    [Test]
    public void TheJobTarget_IsCheckedAsSubmitChecksAJob_AndRoundTripsThroughItsJson()
    {
        Assert.That(() => (Request("* * * * *") with { MaxRetries = -1 }).ToRecord(Winter), Throws.TypeOf<UsageException>().With.Message.EqualTo("--max-retries must be 0 or more."));
        Assert.That(() => (Request("* * * * *") with { CatchUp = "always" }).ToRecord(Winter), Throws.TypeOf<UsageException>().With.Message.EqualTo("catch-up 'always' is not one of skip, run_once."));

        var record = (Request("* * * * *") with { Priority = 8, TimeoutSeconds = 12, CatchUp = "run_once" }).ToRecord(Winter);
        var target = (JobTarget)ScheduleTarget.FromJson(record.Target);
        Assert.That(target, Is.EqualTo(new JobTarget("sleep", "{\"seconds\":1}", 8, 3, 12)));
        Assert.That(record.CatchUp, Is.EqualTo("run_once"));
        Assert.That(record.NextRunAt, Is.EqualTo(Winter.AddMinutes(1).ToUnixTimeMilliseconds()));
    }

    [TestCase("{\"kind\": \"workflow\", \"name\": \"video_qa\"}", "target kind 'workflow' is not one this MediaWorker starts (job, pipeline)")]
    [TestCase("{\"kind\": \"pipeline\"}", "pipeline target names no pipeline")]
    [TestCase("{\"task_type\": \"noop\"}", "target kind '(none)'")]
    [TestCase("{\"kind\": \"job\"}", "has no task_type")]
    [TestCase("[1]", "not a JSON object")]
    public void StoredTargets_ThatCannotStart_SayWhy(string json, string message) =>
        Assert.That(() => ScheduleTarget.FromJson(json), Throws.TypeOf<FormatException>().With.Message.Contains(message));

    private static ScheduleRequest Request(string cron) => new("nightly", cron, "sleep", new JsonObject { ["seconds"] = 1 });
}
