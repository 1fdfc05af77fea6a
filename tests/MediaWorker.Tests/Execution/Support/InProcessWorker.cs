using MediaWorker.Configuration;
using MediaWorker.Execution;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace MediaWorker.Tests.Execution.Support;

/// <summary>
/// The real runtime (writer, claim loop, monitor, drain) in the test's own process, on a real
/// SQLite file, with test handlers and a <see cref="FakeTimeProvider"/> the test moves by hand.
/// </summary>
internal sealed class InProcessWorker : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory = new("mw-inproc");
    private readonly CancellationTokenSource _stop = new();
    private readonly WorkerRuntime _runtime;
    private Task<int>? _run;

    public InProcessWorker(IReadOnlyList<ITaskHandler> handlers, IReadOnlyDictionary<string, string>? settings = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CL_SERVER_DIR"] = _directory.Path,
            ["PLUGIN_DIR"] = Path.Combine(_directory.Path, "plugins"),
            ["WORKER_ID"] = "inproc-" + Guid.NewGuid().ToString("N")[..8],
            ["BROADCAST_TYPE"] = "noop",
            ["WORKER_CONCURRENCY"] = "4",
            // A day: the fake clock may run ahead of a job between two steps without its lease expiring.
            ["WORKER_LEASE_SECONDS"] = "86400",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            values[name] = value;
        }

        Settings = WorkerSettings.Load(new SettingsSource(values, _ => null));
        Factory = new SqliteConnectionFactory(Settings.Store);
        Connection = Factory.Open();
        SchemaMigrator.Migrate(Connection);
        _runtime = new WorkerRuntime(Settings, Logs, Time, handlers, Events);
    }

    public WorkerSettings Settings { get; }

    /// <summary>Starts at the real time, so rows written by the fake clock sort among real ones; moves only when told.</summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public RecordingBroadcaster Events { get; } = new();

    public RecordingLoggerFactory Logs { get; } = new();

    public SqliteConnectionFactory Factory { get; }

    /// <summary>A connection of the test's own (a producer, a person running the CLI).</summary>
    public SqliteConnection Connection { get; }

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task StartAsync()
    {
        _run = Task.Run(() => _runtime.RunAsync(_stop.Token));
        await Task.WhenAny(_runtime.Started, _run).WaitAsync(Patience);
        if (_run.IsFaulted)
        {
            await _run;
        }
    }

    public string Submit(NewJob job) => JobSubmitter.Submit(Connection, job, NowMs).JobId;

    public JobRecord Row(string jobId) => JobAdministration.Find(Connection, jobId) ?? throw new InvalidOperationException("no row " + jobId);

    /// <summary>
    /// Moves the fake clock forward in steps until <paramref name="until"/> completes. After each
    /// step the runtime's continuations get to run (the thread pool drains) before the clock moves
    /// again; nothing waits on the wall clock.
    /// </summary>
    public async Task AdvanceUntilAsync(Task until, TimeSpan step, int maxSteps = 2_000)
    {
        for (var i = 0; i < maxSteps && !until.IsCompleted; i++)
        {
            Time.Advance(step);
            await SettleAsync();
        }

        await until.WaitAsync(Patience);
    }

    /// <summary>Yields until no work is queued on the thread pool (bounded), so timers that just fired have been handled.</summary>
    public static async Task SettleAsync()
    {
        for (var i = 0; i < 1_000; i++)
        {
            await Task.Yield();
            if (ThreadPool.PendingWorkItemCount == 0)
            {
                return;
            }
        }
    }

    /// <summary>The first stop signal: stop claiming, drain; returns the exit code once the runtime returned.</summary>
    public async Task<int> StopAsync(TimeSpan? advanceStep = null)
    {
        var run = _run ?? throw new InvalidOperationException("not started");
        await _stop.CancelAsync();
        if (advanceStep is { } step)
        {
            await Events.Draining.WaitAsync(Patience);
            await AdvanceUntilAsync(run, step);
        }

        return await run.WaitAsync(Patience);
    }

    public async ValueTask DisposeAsync()
    {
        if (_run is { IsCompleted: false })
        {
            await StopAsync(TimeSpan.FromSeconds(1));
        }

        Connection.Dispose();
        _stop.Dispose();
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
