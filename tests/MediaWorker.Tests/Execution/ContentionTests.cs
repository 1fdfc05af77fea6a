using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Execution;

/// <summary>
/// Four worker processes with one slot each hammer one database file while a producer keeps the
/// queue full: every claim takes the write lock, so they collide all the time. With busy_timeout
/// sleeping in milliseconds and no retry layer on top, nothing fails and no claim stalls for the
/// 150 ms of Microsoft.Data.Sqlite's retry (no pile-up of waits above 150 ms) or the whole second
/// of the old SQLite's busy handler.
/// </summary>
public sealed partial class ContentionTests
{
    private const int Workers = 4;

    /// <summary>30 s by default (the issue's figure); MW_HAMMER_SECONDS shortens it for a quick local run.</summary>
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("MW_HAMMER_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 30);

    [Test]
    public async Task FourSingleSlotWorkers_OnOneFile_NoErrors_AndNoClaimStalls()
    {
        using var env = new DaemonEnvironment();
        env.Environment["WORKER_CONCURRENCY"] = "1";
        env.Environment["LOG_LEVEL"] = "information";
        using var producer = env.Open();
        var workers = Enumerable.Range(0, Workers).Select(i => env.StartWorker($"hammer-{i}", "--tasks", "noop")).ToList();
        foreach (var worker in workers)
        {
            Assert.That(await worker.WaitForOutputAsync(" started (pid", TimeSpan.FromSeconds(60)), Is.True, worker.OutputText);
        }

        var clock = Stopwatch.StartNew();
        long submitted = 0;
        while (clock.Elapsed < Duration)
        {
            // Keep a few hundred jobs waiting so every worker claims back to back.
            if (producer.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE status = 'queued'") < 200)
            {
                JobSubmitter.InsertMany(producer, Enumerable.Range(0, 200).Select(_ => new NewJob("noop", "{}")), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                submitted += 200;
            }

            await Task.Delay(20);
        }

        foreach (var worker in workers)
        {
            worker.Terminate();
        }

        foreach (var worker in workers)
        {
            Assert.That(await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.True, worker.OutputText);
        }

        var completed = producer.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE status = 'completed'");
        TestContext.Progress.WriteLine($"{submitted} submitted, {completed} completed in {Duration.TotalSeconds:0} s");
        Assert.That(producer.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE status IN ('failed', 'processing')"), Is.Zero);
        Assert.That(completed, Is.GreaterThan(20 * Duration.TotalSeconds), "the workers really ran jobs");
        foreach (var worker in workers)
        {
            var log = worker.OutputText;
            Assert.That(log, Does.Not.Contain("[ERR]").And.Not.Contain("[WRN]").And.Not.Contain("database is locked"), log);
            var stopped = StopLine().Match(log);
            Assert.That(stopped.Success, Is.True, "the worker reports its claim wait and busy errors when it stops:\n" + log);
            var (claims, p50, p99, max, busy) = (Long(stopped, "n"), Long(stopped, "p50"), Long(stopped, "p99"), Long(stopped, "max"), Long(stopped, "busy"));
            var (below, retryBand) = (Long(stopped, "below"), Long(stopped, "band"));
            var (belowSecond, secondBand) = (Long(stopped, "belowSecond"), Long(stopped, "secondBand"));
            TestContext.Progress.WriteLine($"claims {claims}: p50 {p50} us, p99 {p99} us, max {max} us; 75-150 ms {below}, 150-300 ms {retryBand}, 0.5-1 s {belowSecond}, 1-2 s {secondBand}; busy errors {busy}");
            Assert.That(busy, Is.Zero, "no busy error surfaced");
            Assert.That(claims, Is.GreaterThan(100));
            // p50 and p99 are reported above, not asserted: they follow the machine's load (p50 15 ms
            // at load 50 on this 2-core box); BENCHMARKS.md holds the quiet figures. What a busy
            // policy gets wrong shows in the shapes below, whatever the load.
            // The 150 ms stall is asserted by its shape, not by the maximum: on this shared 2-core box
            // scheduler pauses alone reach 200 ms (measured max 206 ms, p99 37 ms), but they thin out
            // as they grow. Microsoft.Data.Sqlite's 150 ms retry puts every collision just above
            // 150 ms instead (p99 295 ms before the fix): a bump there, above the band below it.
            Assert.That(retryBand, Is.LessThanOrEqualTo(below + 3), "no pile-up of claim waits at the 150 ms retry");
            // The whole-second stall (SQLite builds without usleep sleep whole seconds in their busy
            // handler) the same way: such a build puts every collision at 1 s or more, a pile-up
            // above the 0.5-1 s band, while a scheduler pause on a box busy with the other test
            // projects (ffmpeg, whisper) is a lone outlier there (measured: one claim of 1.08 s).
            Assert.That(secondBand, Is.LessThanOrEqualTo(belowSecond + 2), "no pile-up of claim waits at a whole-second busy sleep");
            Assert.That(max, Is.LessThan(5_000_000), "no claim waited anywhere near the busy timeout (10 s)");
        }
    }

    private static long Long(Match match, string group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"claim wait n=(?<n>\d+) p50=(?<p50>\d+)us p99=(?<p99>\d+)us max=(?<max>\d+)us \(75-150 ms: (?<below>\d+), 150-300 ms: (?<band>\d+), 0\.5-1 s: (?<belowSecond>\d+), 1-2 s: (?<secondBand>\d+)\); (?<busy>\d+) database busy error")]
    private static partial Regex StopLine();
}
