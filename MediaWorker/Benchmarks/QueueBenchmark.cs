using System.Diagnostics;
using Dapper;
using MediaWorker.Configuration;
using MediaWorker.Storage;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Benchmarks;

/// <summary>The figures of SPEC 10 for the queue itself, measured with real worker processes on one database.</summary>
public sealed record QueueBenchmarkResult(
    double JobsPerSecondOneProcess,
    double JobsPerSecondFourProcesses,
    double LatencyP50Ms,
    double LatencyP99Ms,
    double IdleCpuPercent,
    double IdleRssMiB,
    long BusyErrors);

/// <summary>
/// Throughput (enqueue + claim + complete of no-op jobs) with 1 and 4 worker processes,
/// enqueue-to-start latency of an idle worker in another process, idle CPU and RSS, and the
/// SQLITE_BUSY errors that surfaced anywhere (workers and producer).
/// </summary>
public sealed class QueueBenchmark(string directory, int jobs, int concurrency, int latencySamples, TimeSpan idleWindow, Action<string> report)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public async Task<QueueBenchmarkResult> RunAsync(CancellationToken cancellationToken)
    {
        var oneProcess = await ThroughputAsync(1, cancellationToken);
        var fourProcesses = await ThroughputAsync(4, cancellationToken);
        var (p50, p99, cpu, rss, latencyBusy) = await LatencyAndIdleAsync(cancellationToken);
        return new QueueBenchmarkResult(oneProcess.JobsPerSecond, fourProcesses.JobsPerSecond, p50, p99, cpu, rss, oneProcess.Busy + fourProcesses.Busy + latencyBusy + DatabaseBusyCounter.Total);
    }

    private async Task<(double JobsPerSecond, long Busy)> ThroughputAsync(int processes, CancellationToken cancellationToken)
    {
        var (serverDir, dbPath, factory) = FreshDatabase($"throughput-{processes}p");
        var workers = Enumerable.Range(0, processes).Select(i => BenchWorker.Start($"bench-{processes}p-{i}", serverDir, dbPath, concurrency)).ToList();
        try
        {
            await Task.WhenAll(workers.Select(w => w.WaitStartedAsync(StartTimeout)));
            using var producer = factory.Open();
            using var reader = factory.Open();
            var clock = Stopwatch.StartNew();
            const int batch = 1000;
            for (var sent = 0; sent < jobs; sent += batch)
            {
                var count = Math.Min(batch, jobs - sent);
                Produce(producer, count);
            }

            var enqueued = clock.Elapsed;
            while (reader.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE status = 'completed'") < jobs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Delay(20, cancellationToken);
            }

            var elapsed = clock.Elapsed;
            var rate = jobs / elapsed.TotalSeconds;
            report($"{processes} process(es), {concurrency} slots each: {jobs} no-op jobs enqueued in {enqueued.TotalSeconds:0.00} s, all completed after {elapsed.TotalSeconds:0.00} s: {rate:0} jobs/s");
            workers.ForEach(w => w.Stop());
            return (rate, workers.Sum(CountBusy));
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    private async Task<(double P50, double P99, double CpuPercent, double RssMiB, long Busy)> LatencyAndIdleAsync(CancellationToken cancellationToken)
    {
        var (serverDir, dbPath, factory) = FreshDatabase("latency");
        using var worker = BenchWorker.Start("bench-latency", serverDir, dbPath, concurrency: 1);
        await worker.WaitStartedAsync(StartTimeout);
        using var producer = factory.Open();
        await Task.Delay(500, cancellationToken);

        // One job at a time, each inserted by this (another) process while the worker is idle.
        var latencies = new List<double>(latencySamples);
        for (var i = 0; i < latencySamples; i++)
        {
            var id = Guid.NewGuid().ToString();
            var created = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            WithBusyRetry(() => JobSubmitter.Submit(producer, new NewJob("noop", "{}") { JobId = id }, created));
            long? started = null;
            while (started is null)
            {
                await Task.Delay(1, cancellationToken);
                started = producer.ExecuteScalar<long?>("SELECT started_at FROM jobs WHERE job_id = @id", new { id });
            }

            latencies.Add(started.Value - created);
            await Task.Delay(20, cancellationToken);
        }

        latencies.Sort();
        var p50 = Percentile(latencies, 0.50);
        var p99 = Percentile(latencies, 0.99);
        report($"enqueue-to-start, idle worker in another process, {latencySamples} jobs: p50 {p50:0.0} ms, p99 {p99:0.0} ms (millisecond timestamps)");

        // Then idle, once start-up JIT work is over: nothing happens in the database, so the worker should sleep.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var cpuBefore = worker.CpuSeconds();
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(idleWindow, cancellationToken);
        var cpuPercent = (worker.CpuSeconds() - cpuBefore) / idleClock.Elapsed.TotalSeconds * 100;
        var rss = worker.RssMiB();
        report($"idle worker over {idleWindow.TotalSeconds:0} s: {cpuPercent:0.00}% of one core, RSS {rss:0.0} MiB");
        worker.Stop();
        return (p50, p99, cpuPercent, rss, CountBusy(worker));
    }

    private static void Produce(SqliteConnection producer, int count) =>
        WithBusyRetry(() => JobSubmitter.InsertMany(producer, Enumerable.Range(0, count).Select(_ => new NewJob("noop", "{}")), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    /// <summary>A busy error is counted (<see cref="DatabaseBusyCounter"/>) and the write tried again, so the run completes.</summary>
    private static void WithBusyRetry(Action write)
    {
        while (true)
        {
            try
            {
                write();
                return;
            }
            catch (DatabaseBusyException)
            {
            }
        }
    }

    private (string ServerDir, string DatabasePath, SqliteConnectionFactory Factory) FreshDatabase(string name)
    {
        var serverDir = Path.Combine(directory, name);
        Directory.CreateDirectory(serverDir);
        var dbPath = Path.Combine(serverDir, "media_store.db");
        var factory = new SqliteConnectionFactory(StoreSettings.ForPath(dbPath));
        using var connection = factory.Open();
        SchemaMigrator.Migrate(connection);
        return (serverDir, dbPath, factory);
    }

    private static long CountBusy(BenchWorker worker) => worker.BusyErrors;

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}
