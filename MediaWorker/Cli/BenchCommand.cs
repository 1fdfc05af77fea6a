using System.CommandLine;
using System.Globalization;
using MediaWorker.Benchmarks;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker bench</c>: the queue benchmark of SPEC 10, ending with one machine-readable line.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure the queue on this machine: no-op jobs/s with 1 and 4 worker processes, enqueue-to-start latency, idle CPU and RSS, SQLITE_BUSY errors. Ends with a 'bench:' line.");
        var jobs = new Option<int>("--jobs") { Description = "No-op jobs per throughput run.", DefaultValueFactory = _ => 100_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Slots per worker process in the throughput runs (no-op jobs finish at once, so slots only bound the claim batch).", DefaultValueFactory = _ => 256 };
        var samples = new Option<int>("--latency-samples") { Description = "Jobs inserted one by one for the latency figures.", DefaultValueFactory = _ => 300 };
        var idle = new Option<double>("--idle-seconds") { Description = "How long the idle CPU is measured.", DefaultValueFactory = _ => 10 };
        var keep = new Option<string?>("--dir") { Description = "Work folder (kept); default a temporary folder that is deleted." };
        foreach (var option in new Option[] { jobs, concurrency, samples, idle, keep })
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
                    Math.Max(1, parseResult.GetValue(concurrency)),
                    Math.Max(10, parseResult.GetValue(samples)),
                    TimeSpan.FromSeconds(Math.Max(1, parseResult.GetValue(idle))),
                    line => Console.WriteLine(line));
                var r = await benchmark.RunAsync(cancellationToken);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"bench: jobs_per_s_1p={r.JobsPerSecondOneProcess:0} jobs_per_s_4p={r.JobsPerSecondFourProcesses:0} latency_p50_ms={r.LatencyP50Ms:0.#} latency_p99_ms={r.LatencyP99Ms:0.#} busy_errors={r.BusyErrors}"));
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
