using System.Diagnostics;
using System.Globalization;
using Hangfire;
using Hangfire.Storage.SQLite;
using MediaWorker.Benchmarks.Peers;

// Usage: HangfirePeer DATABASE_FILE JOBS WORKERS
// Starts a Hangfire server with WORKERS workers on a fresh SQLite file, enqueues JOBS no-op jobs
// from this process while it runs (as `mediaworker bench` does with its workers), and times until
// every job succeeded. Prints one line: "hangfire ... jobs/s".
var database = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "hangfire-peer.db");
var jobs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
var workers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
File.Delete(database);

GlobalConfiguration.Configuration
    .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
    .UseSimpleAssemblyNameTypeSerializer()
    .UseRecommendedSerializerSettings()
    .UseSQLiteStorage(database, new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(10) });

var storage = JobStorage.Current;
using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = workers, SchedulePollingInterval = TimeSpan.FromSeconds(1) }))
{
    var client = new BackgroundJobClient(storage);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < jobs; i++)
    {
        client.Enqueue(() => NoopJob.Run());
    }

    var enqueued = clock.Elapsed;
    var monitoring = storage.GetMonitoringApi();
    while (monitoring.SucceededListCount() < jobs)
    {
        if (clock.Elapsed > TimeSpan.FromMinutes(10))
        {
            throw new TimeoutException($"only {monitoring.SucceededListCount()} of {jobs} Hangfire jobs succeeded within 10 minutes");
        }

        Thread.Sleep(20);
    }

    var total = clock.Elapsed;
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"hangfire 1.8.25 + Hangfire.Storage.SQLite 0.4.3, 1 process, {workers} workers: {jobs} no-op jobs enqueued in {enqueued.TotalSeconds:0.00} s, all succeeded after {total.TotalSeconds:0.00} s: {jobs / total.TotalSeconds:0} jobs/s"));
}

namespace MediaWorker.Benchmarks.Peers
{
    /// <summary>The job: nothing, like the daemon's built-in noop task.</summary>
    public static class NoopJob
    {
        public static void Run()
        {
        }
    }
}
