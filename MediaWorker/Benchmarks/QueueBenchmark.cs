using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using MediaWorker.Concurrency;
using MediaWorker.Configuration;
using MediaWorker.Execution;
using MediaWorker.Storage;

namespace MediaWorker.Benchmarks;

/// <summary>One throughput run: processes × claim batch (slots per process).</summary>
/// <param name="WorkerCpuMicrosecondsPerJob">
/// The workers' CPU time (user + system, start-up included) per job: unlike jobs/s it hardly moves
/// with the shared machine's load, so it is the figure to compare builds by on a busy box.
/// </param>
public sealed record ThroughputResult(int Processes, int ClaimBatch, double JobsPerSecond, double BytesPerJob, long BusyErrors, double WorkerCpuMicrosecondsPerJob);

/// <summary>The figures of SPEC 10 for the queue itself, measured with real worker processes on one database.</summary>
public sealed record QueueBenchmarkResult(
    IReadOnlyList<ThroughputResult> Throughput,
    double BareSqliteJobsPerSecond,
    double LatencyP50Microseconds,
    double LatencyP99Microseconds,
    double IdleCpuPercent,
    double IdleRssMiB,
    long BusyErrors);

/// <summary>
/// Throughput (enqueue + claim + complete of no-op jobs) with 1 and 4 worker processes at each
/// claim batch, the bare-SQLite ceiling (the same three statements per job, no runtime),
/// enqueue-to-start latency of an idle worker in another process, idle CPU and RSS, and the
/// busy errors counted anywhere (each worker's counter and the producer's).
/// </summary>
/// <param name="postgresUrl">Measure on this PostgreSQL database (emptied before each run) instead of fresh SQLite files.</param>
public sealed class QueueBenchmark(string directory, int jobs, IReadOnlyList<int> claimBatches, int latencySamples, TimeSpan idleWindow, Action<string> report, string? postgresUrl = null)
{
    private string Engine => postgresUrl is null ? "SQLite" : "PostgreSQL";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public async Task<QueueBenchmarkResult> RunAsync(CancellationToken cancellationToken)
    {
        var throughput = new List<ThroughputResult>();
        foreach (var batch in claimBatches)
        {
            foreach (var processes in new[] { 1, 4 })
            {
                // Batch 1 moves one job per transaction: a tenth of the jobs keeps the run short.
                throughput.Add(await ThroughputAsync(processes, batch, batch == 1 ? Math.Max(1000, jobs / 10) : jobs, cancellationToken));
            }
        }

        var bare = BareSqlite(claimBatches.Max());
        var (p50, p99, cpu, rss, latencyBusy) = await LatencyAndIdleAsync(cancellationToken);
        return new QueueBenchmarkResult(throughput, bare, p50, p99, cpu, rss, throughput.Sum(t => t.BusyErrors) + latencyBusy + DatabaseBusyCounter.Total);
    }

    private async Task<ThroughputResult> ThroughputAsync(int processes, int claimBatch, int count, CancellationToken cancellationToken)
    {
        var (serverDir, dbPath, factory) = FreshDatabase($"throughput-{processes}p-b{claimBatch}");
        if (postgresUrl is not null)
        {
            report($"{Engine}: {PostgresUrlShown}");
        }

        var workers = Enumerable.Range(0, processes).Select(i => BenchWorker.Start($"bench-{processes}p-{i}", serverDir, dbPath, claimBatch)).ToList();
        try
        {
            await Task.WhenAll(workers.Select(w => w.WaitStartedAsync(StartTimeout)));
            using var producer = factory.Open();
            using var reader = factory.Open();
            var clock = Stopwatch.StartNew();
            for (var sent = 0; sent < count; sent += 1000)
            {
                Produce(producer, Math.Min(1000, count - sent));
            }

            var enqueued = clock.Elapsed;
            while (reader.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE status = 'completed'") < count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Delay(20, cancellationToken);
            }

            var elapsed = clock.Elapsed;
            var cpu = workers.Sum(w => w.CpuSeconds());
            workers.ForEach(w => w.Stop());
            var rate = count / elapsed.TotalSeconds;
            var allocated = workers.Sum(w => w.AllocatedBytes);
            var perJob = allocated < 0 ? double.NaN : allocated / (double)count;
            var busy = workers.Sum(w => w.BusyErrors);
            var cpuPerJob = cpu * 1e6 / count;
            report(string.Create(CultureInfo.InvariantCulture,
                $"{processes} process(es), claim batch {claimBatch}: {count} no-op jobs enqueued in {enqueued.TotalSeconds:0.00} s, all completed after {elapsed.TotalSeconds:0.00} s: {rate:0} jobs/s; workers allocated {perJob:0} bytes and used {cpuPerJob:0} us of CPU per job (start-up included); busy errors {busy}"));
            return new ThroughputResult(processes, claimBatch, rate, perJob, busy, cpuPerJob);
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    /// <summary>
    /// The ceiling on this machine: the producer's INSERT, the claim's UPDATE … RETURNING and the
    /// fenced completion UPDATE per job, on the same schema, in one process with no runtime around
    /// them (no threads, channels, handlers or events), <paramref name="batch"/> jobs per transaction.
    /// </summary>
    private double BareSqlite(int batch)
    {
        var (_, _, factory) = FreshDatabase("bare-sqlite");
        using var connection = factory.Open();
        using var claimer = factory.CreateClaimer(connection);
        using var writer = new LeasedJobWriter(connection);
        var request = new ClaimRequest("bare", [("noop", batch)], batch, TimeSpan.FromSeconds(30));
        var done = new JobOutcome(OutcomeKind.Completed) { OutputJson = "{}" };
        var clock = Stopwatch.StartNew();
        for (var sent = 0; sent < jobs; sent += batch)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            JobSubmitter.InsertMany(connection, Enumerable.Range(0, Math.Min(batch, jobs - sent)).Select(_ => new NewJob("noop", "{}")), now);
            if (!factory.ReapsWhileClaiming)
            {
                LeaseReaper.Reap(connection, now); // what the claim does on SQLite, so both do the same work
            }

            var claimed = claimer.Claim(request, now);
            writer.ApplyOutcomes(claimed.Select(c => (c, done)).ToList(), now);
        }

        var rate = jobs / clock.Elapsed.TotalSeconds;
        report(string.Create(CultureInfo.InvariantCulture,
            $"bare {Engine}, same three statements per job, {batch} jobs per transaction, one process: {jobs} jobs in {clock.Elapsed.TotalSeconds:0.00} s: {rate:0} jobs/s"));
        return rate;
    }

    private async Task<(double P50, double P99, double CpuPercent, double RssMiB, long Busy)> LatencyAndIdleAsync(CancellationToken cancellationToken)
    {
        var (serverDir, dbPath, factory) = FreshDatabase("latency");
        using var worker = BenchWorker.Start("bench-latency", serverDir, dbPath, concurrency: 1);
        await worker.WaitStartedAsync(StartTimeout);
        using var producer = factory.Open();
        await Task.Delay(500, cancellationToken);

        // One job at a time, each inserted by this (another) process while the worker is idle. The
        // claim's commit appends to the WAL; the same inotify watch the worker uses tells us at once.
        var wake = new WakeSignal();
        // PostgreSQL has no file to watch: the producer reads the row again at once, a round trip each.
        using var watcher = postgresUrl is null ? new QueueChangeWatcher(dbPath, wake.Set) : null;
        var recheck = postgresUrl is null ? TimeSpan.FromMilliseconds(50) : TimeSpan.Zero;
        var latencies = new List<double>(latencySamples);
        var fromCommit = new List<double>(latencySamples);
        for (var i = 0; i < latencySamples; i++)
        {
            var id = RowIds.New();
            await wake.WaitAsync(TimeSpan.Zero, cancellationToken);
            var inserted = Stopwatch.GetTimestamp();
            WithBusyRetry(() => JobSubmitter.Submit(producer, new NewJob("noop", "{}") { JobId = id }, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            var committed = Stopwatch.GetTimestamp();
            while (producer.ExecuteScalar<string>("SELECT status FROM jobs WHERE job_id = @id", new { id }) == JobStatus.Queued)
            {
                await wake.WaitAsync(recheck, cancellationToken);
            }

            latencies.Add(Stopwatch.GetElapsedTime(inserted).TotalMicroseconds);
            fromCommit.Add(Stopwatch.GetElapsedTime(committed).TotalMicroseconds);
            await Task.Delay(20, cancellationToken);
        }

        latencies.Sort();
        fromCommit.Sort();
        var p50 = Percentile(latencies, 0.50);
        var p99 = Percentile(latencies, 0.99);
        // The first figure includes the producer's own insert and commit (on PostgreSQL with fsync on, a WAL flush).
        report(string.Create(CultureInfo.InvariantCulture,
            $"enqueue-to-start, idle worker in another process, {latencySamples} jobs: p50 {p50:0} us, p99 {p99:0} us (insert sent to claim committed); from the insert's commit: p50 {Percentile(fromCommit, 0.50):0} us, p99 {Percentile(fromCommit, 0.99):0} us"));

        // Then idle, once start-up JIT work is over: nothing happens in the database, so the worker should sleep.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var cpuBefore = worker.CpuSeconds();
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(idleWindow, cancellationToken);
        var cpuPercent = (worker.CpuSeconds() - cpuBefore) / idleClock.Elapsed.TotalSeconds * 100;
        var rss = worker.RssMiB();
        report(string.Create(CultureInfo.InvariantCulture, $"idle worker over {idleWindow.TotalSeconds:0} s: {cpuPercent:0.00}% of one core, RSS {rss:0.0} MiB"));
        worker.Stop();
        return (p50, p99, cpuPercent, rss, worker.BusyErrors);
    }

    private static void Produce(DbConnection producer, int count) =>
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

    /// <summary>A fresh SQLite file, or the PostgreSQL database emptied; DatabasePath is what the workers get as DATABASE_URL.</summary>
    private (string ServerDir, string DatabasePath, IJobStore Factory) FreshDatabase(string name)
    {
        var serverDir = Path.Combine(directory, name);
        Directory.CreateDirectory(serverDir);
        var dbPath = postgresUrl ?? Path.Combine(serverDir, "media_store.db");
        var store = JobStores.For(postgresUrl is null ? StoreSettings.ForPath(dbPath) : DatabaseSettings.Load(new SettingsSource(environment: n => n switch
        {
            "DATABASE_URL" => postgresUrl,
            "CL_SERVER_DIR" => serverDir,
            _ => null,
        })).Store);
        using var connection = store.Open();
        store.Migrate(connection);
        if (postgresUrl is not null)
        {
            connection.Execute("TRUNCATE jobs, workers RESTART IDENTITY");
            connection.Execute("VACUUM ANALYZE jobs");
        }

        return (serverDir, dbPath, store);
    }

    private string PostgresUrlShown => postgresUrl is null ? "" : Storage.Postgres.PostgresUrl.Describe(Storage.Postgres.PostgresUrl.Parse(postgresUrl, 5).ConnectionString ?? "");

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}
