using System.CommandLine;
using System.Globalization;
using MediaWorker.Benchmarks;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker bench</c>: the queue benchmark of SPEC 10, ending with one machine-readable line.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure the queue on this machine: no-op jobs/s with 1 and 4 worker processes at each claim batch, bytes allocated per job, the bare-SQLite ceiling, enqueue-to-start latency in microseconds, idle CPU and RSS, database busy errors. Ends with a 'bench:' line.");
        var jobs = new Option<int>("--jobs") { Description = "No-op jobs per throughput run.", DefaultValueFactory = _ => 100_000 };
        var concurrency = new Option<int[]>("--claim-batch") { Description = "Slots per worker process in the throughput runs, one run each (no-op jobs finish at once, so slots are the claim batch).", DefaultValueFactory = _ => [256, 1], AllowMultipleArgumentsPerToken = true };
        var samples = new Option<int>("--latency-samples") { Description = "Jobs inserted one by one for the latency figures.", DefaultValueFactory = _ => 300 };
        var idle = new Option<double>("--idle-seconds") { Description = "How long the idle CPU is measured.", DefaultValueFactory = _ => 10 };
        var keep = new Option<string?>("--dir") { Description = "Work folder (kept); default a temporary folder that is deleted." };
        var postgres = new Option<string?>("--database-url") { Description = "Measure on this PostgreSQL database (postgresql://…; its jobs table is emptied before each run) instead of fresh SQLite files." };
        foreach (var option in new Option[] { jobs, concurrency, samples, idle, keep, postgres })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var directory = parseResult.GetValue(keep) ?? Path.Combine(Path.GetTempPath(), "mediaworker-bench-" + Guid.NewGuid().ToString("N")[..8]);
            var temporary = parseResult.GetValue(keep) is null;
            Directory.CreateDirectory(directory);
            try
            {
                var benchmark = new QueueBenchmark(
                    directory,
                    Math.Max(1000, parseResult.GetValue(jobs)),
                    [.. (parseResult.GetValue(concurrency) ?? [256, 1]).Select(b => Math.Max(1, b))],
                    Math.Max(10, parseResult.GetValue(samples)),
                    TimeSpan.FromSeconds(Math.Max(1, parseResult.GetValue(idle))),
                    line => Console.WriteLine(line),
                    parseResult.GetValue(postgres));
                var r = await benchmark.RunAsync(cancellationToken);
                var runs = string.Join(' ', r.Throughput.Select(t => string.Create(
                    CultureInfo.InvariantCulture, $"jobs_per_s_{t.Processes}p_b{t.ClaimBatch}={t.JobsPerSecond:0} bytes_per_job_{t.Processes}p_b{t.ClaimBatch}={t.BytesPerJob:0} cpu_us_per_job_{t.Processes}p_b{t.ClaimBatch}={t.WorkerCpuMicrosecondsPerJob:0}")));
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"bench: store={(parseResult.GetValue(postgres) is null ? "sqlite" : "postgresql")} {runs} bare_sqlite_jobs_per_s={r.BareSqliteJobsPerSecond:0} latency_p50_us={r.LatencyP50Microseconds:0} latency_p99_us={r.LatencyP99Microseconds:0} idle_cpu_percent={r.IdleCpuPercent:0.00} busy_errors={r.BusyErrors}"));
                return ExitCodes.Ok;
            }
            finally
            {
                if (temporary)
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
        });
        return command;
    }
}
