using Dapper;
using MediaWorker.Schedules;
using MediaWorker.Tests.Execution.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Schedules;

/// <summary>The schedule loop inside the real runtime, on a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/>.</summary>
public sealed class ScheduleLoopTests
{
    [Test]
    public async Task TheLoop_StartsEachOccurrenceOnTheWorkersClock_AndAJumpPastTheGraceIsSkipped()
    {
        await using var worker = new InProcessWorker([], new Dictionary<string, string> { ["SCHEDULE_MISFIRE_GRACE"] = "30" });
        await worker.StartAsync();
        var added = new ScheduleActions(worker.Connection, "test.db", () => worker.NowMs)
            .Add(new ScheduleRequest("tick", "*/10 * * * * *", "noop", []), replace: false);
        var first = added.NextRunAt!.Value;

        for (var i = 1; i <= 6; i++)
        {
            // One occurrence per step: the loop sleeps until it is due, on the fake clock.
            worker.Time.Advance(TimeSpan.FromSeconds(10));
            await CountAtLeastAsync(worker, i).WaitAsync(TimeSpan.FromSeconds(30));
        }

        var keys = Keys(worker);
        Assert.That(keys.Take(6), Is.EqualTo(Enumerable.Range(0, 6).Select(i => ScheduleFiring.IdempotencyKey("tick", DateTimeOffset.FromUnixTimeMilliseconds(first + (i * 10_000))))));
        Assert.That(keys, Is.Unique);

        // The workers were "down" for an hour: the missed occurrences are skipped, the next ones run again.
        var before = keys.Count;
        worker.Time.Advance(TimeSpan.FromHours(1));
        await CountAtLeastAsync(worker, before + 3).WaitAsync(TimeSpan.FromSeconds(30));

        // The loop logs after the commit that the test just saw.
        bool Warned() => worker.Logs.Entries.Any(e => e.Message.Contains("Schedule tick: occurrences from", StringComparison.Ordinal) && e.Message.Contains("catch-up skip: skipped", StringComparison.Ordinal));
        Assert.That(await Support.DaemonEnvironment.EventuallyAsync(Warned, TimeSpan.FromSeconds(10)), Is.True, string.Join("\n", worker.Logs.Entries.Select(e => e.Message)));
        var late = Keys(worker).Skip(before).ToList();
        Assert.That(late, Has.Count.InRange(3, 4), "what the 30 s grace covers, not the 360 missed occurrences");
    }

    private static List<string> Keys(InProcessWorker worker) =>
        worker.Connection.Query<string>("SELECT idempotency_key FROM jobs WHERE created_by = 'schedule:tick' ORDER BY idempotency_key").ToList();

    private static async Task CountAtLeastAsync(InProcessWorker worker, int count)
    {
        using var connection = worker.Factory.Open();
        while (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE created_by = 'schedule:tick'") < count)
        {
            await Task.Delay(10);
        }
    }
}
