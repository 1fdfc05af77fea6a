using System.Data.Common;
using MediaWorker.Configuration;
using MediaWorker.Storage;
using MediaWorker.Testing;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Tests.Support;

/// <summary>
/// A server folder with its own database for real <c>mediaworker</c> processes: start workers,
/// run CLI commands, read the table.
/// </summary>
public sealed class DaemonEnvironment : IDisposable
{
    private readonly TempDirectory _directory = new("mw-daemon");
    private readonly List<WorkerProcess> _workers = [];

    public DaemonEnvironment()
        : this(StoreKind.Sqlite)
    {
    }

    /// <param name="kind">The store: a SQLite file in the server folder, or a fresh database on the shared PostgreSQL server.</param>
    public DaemonEnvironment(StoreKind kind)
    {
        DatabasePath = Path.Combine(_directory.Path, "media_store.db");
        Kind = kind;
        Environment = new Dictionary<string, string?>
        {
            ["CL_SERVER_DIR"] = _directory.Path,
            ["DATABASE_URL"] = "sqlite:///" + DatabasePath.TrimStart('/'),
            ["PLUGIN_DIR"] = Path.Combine(_directory.Path, "plugins"),
            ["BROADCAST_TYPE"] = "noop",
            ["LOG_LEVEL"] = "information",
        };
        Directory.CreateDirectory(Path.Combine(_directory.Path, "plugins"));
        if (kind == StoreKind.Postgres)
        {
            Environment["DATABASE_URL"] = PostgresServer.Shared.CreateDatabase("daemon");
        }
    }

    public StoreKind Kind { get; }

    public string ServerDirectory => _directory.Path;

    public string DatabasePath { get; }

    public Dictionary<string, string?> Environment { get; }

    public WorkerProcess StartWorker(string workerId, params string[] extraArgs) => StartWorker(workerId, new Dictionary<string, string?>(), extraArgs);

    public WorkerProcess StartWorker(string workerId, IReadOnlyDictionary<string, string?> extraEnvironment, params string[] extraArgs)
    {
        var env = new Dictionary<string, string?>(Environment);
        foreach (var (key, value) in extraEnvironment)
        {
            env[key] = value;
        }

        var worker = WorkerProcess.Start(["run", "--worker-id", workerId, .. extraArgs], env);
        _workers.Add(worker);
        return worker;
    }

    public Task<(int ExitCode, string Output)> CliAsync(params string[] args) => WorkerProcess.RunAsync(args, Environment);

    /// <summary>A migrated connection to this environment's store, whichever engine it is.</summary>
    public DbConnection OpenStore()
    {
        var store = JobStores.For(StoreFixture.PostgresSettingsOr(Kind, Environment["DATABASE_URL"]!, ServerDirectory, DatabasePath));
        var connection = store.Open();
        store.Migrate(connection);
        return connection;
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnectionFactory(StoreSettings.ForPath(DatabasePath)).Open();
        SchemaMigrator.Migrate(connection);
        return connection;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; false on timeout.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition();
    }

    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }

        _directory.Dispose();
    }
}
