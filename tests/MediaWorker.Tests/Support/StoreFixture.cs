using System.Data.Common;
using Dapper;
using MediaWorker.Configuration;
using MediaWorker.Storage;
using MediaWorker.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MediaWorker.Tests.Support;

/// <summary>
/// A real, migrated job store with helpers to submit and claim: a WAL-mode SQLite file in a temp
/// folder, or a fresh database on the shared PostgreSQL server (<see cref="PostgresServer"/>).
/// </summary>
public sealed class StoreFixture : IDisposable
{
    private readonly TempDirectory _directory = new("mw-store");
    private readonly List<IDisposable> _owned = [];

    public StoreFixture(StoreKind kind = StoreKind.Sqlite)
    {
        Kind = kind;
        var sqlite = StoreSettings.ForPath(Path.Combine(_directory.Path, "jobs.db")) with { BusyTimeout = TimeSpan.FromSeconds(10) };
        Settings = kind == StoreKind.Sqlite ? sqlite : PostgresSettings(PostgresServer.Shared.CreateDatabase("store"), _directory.Path);
        Store = JobStores.For(Settings);
        Connection = Open();
        Store.Migrate(Connection);
    }

    public StoreKind Kind { get; }
    public StoreSettings Settings { get; }
    public IJobStore Store { get; }
    public DbConnection Connection { get; }
    public string Directory => _directory.Path;

    /// <summary>Milliseconds of a fake clock the tests move by hand.</summary>
    public long Now { get; set; } = 1_700_000_000_000;

    /// <summary>Settings for a PostgreSQL URL, as a worker reads them from DATABASE_URL.</summary>
    public static StoreSettings PostgresSettings(string url, string serverDirectory) =>
        DatabaseSettings.Load(new SettingsSource(environment: name => name switch
        {
            "DATABASE_URL" => url,
            "CL_SERVER_DIR" => serverDirectory,
            _ => null,
        })).Store;

    /// <summary>The SQLite file at <paramref name="path"/>, or the PostgreSQL database of <paramref name="url"/>.</summary>
    public static StoreSettings PostgresSettingsOr(StoreKind kind, string url, string serverDirectory, string path) =>
        kind == StoreKind.Postgres ? PostgresSettings(url, serverDirectory) : StoreSettings.ForPath(path);

    public DbConnection Open()
    {
        var connection = Store.Open();
        _owned.Add(connection);
        return connection;
    }

    public IJobClaimer NewClaimer(DbConnection? connection = null) => Store.CreateClaimer(connection ?? Connection);

    public string Submit(string taskType = "noop", int priority = 5, int maxRetries = 3, long runAfter = 0, string? key = null, long? createdAt = null)
    {
        var job = new NewJob(taskType, "{}") { Priority = priority, MaxRetries = maxRetries, RunAfter = runAfter, IdempotencyKey = key };
        return JobSubmitter.Submit(Connection, job, createdAt ?? Now).JobId;
    }

    public IReadOnlyList<ClaimedJob> Claim(int limit, params string[] taskTypes) => Claim("w1", limit, TimeSpan.FromSeconds(30), taskTypes);

    public IReadOnlyList<ClaimedJob> Claim(string owner, int limit, TimeSpan lease, params string[] taskTypes)
    {
        if (!Store.ReapsWhileClaiming)
        {
            // PostgreSQL: the elected worker's maintenance settles dead leases; here it runs before each claim.
            LeaseReaper.Reap(Connection, Now);
        }

        using var claimer = NewClaimer();
        return claimer.Claim(new ClaimRequest(owner, taskTypes.Select(t => (t, limit)).ToList(), limit, lease), Now);
    }

    public bool Apply(ClaimedJob job, JobOutcome outcome)
    {
        using var writer = new LeasedJobWriter(Connection);
        return writer.ApplyOutcomes([(job, outcome)], Now)[0];
    }

    public JobRecord Row(string jobId) => JobAdministration.Find(Connection, jobId) ?? throw new InvalidOperationException("no row " + jobId);

    public long Count(string sql) => Connection.ExecuteScalar<long>(sql);

    public void Dispose()
    {
        foreach (var item in _owned)
        {
            item.Dispose();
        }

        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        _directory.Dispose();
    }
}
