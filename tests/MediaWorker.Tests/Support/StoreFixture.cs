using Dapper;
using MediaWorker.Configuration;
using MediaWorker.Storage;
using MediaWorker.Testing;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Tests.Support;

/// <summary>A real WAL-mode SQLite file in a temp folder, migrated, with helpers to submit and claim.</summary>
public sealed class StoreFixture : IDisposable
{
    private readonly TempDirectory _directory = new("mw-store");
    private readonly List<IDisposable> _owned = [];

    public StoreFixture()
    {
        Settings = StoreSettings.ForPath(Path.Combine(_directory.Path, "jobs.db")) with { BusyTimeout = TimeSpan.FromSeconds(10) };
        Factory = new SqliteConnectionFactory(Settings);
        Connection = Open();
        SchemaMigrator.Migrate(Connection);
    }

    public StoreSettings Settings { get; }
    public SqliteConnectionFactory Factory { get; }
    public SqliteConnection Connection { get; }
    public string Directory => _directory.Path;

    /// <summary>Milliseconds of a fake clock the tests move by hand.</summary>
    public long Now { get; set; } = 1_700_000_000_000;

    public SqliteConnection Open()
    {
        var connection = Factory.Open();
        _owned.Add(connection);
        return connection;
    }

    public string Submit(string taskType = "noop", int priority = 5, int maxRetries = 3, long runAfter = 0, string? key = null, long? createdAt = null)
    {
        var job = new NewJob(taskType, "{}") { Priority = priority, MaxRetries = maxRetries, RunAfter = runAfter, IdempotencyKey = key };
        return JobSubmitter.Submit(Connection, job, createdAt ?? Now).JobId;
    }

    public IReadOnlyList<ClaimedJob> Claim(int limit, params string[] taskTypes) => Claim("w1", limit, TimeSpan.FromSeconds(30), taskTypes);

    public IReadOnlyList<ClaimedJob> Claim(string owner, int limit, TimeSpan lease, params string[] taskTypes)
    {
        using var claimer = new JobClaimer(Connection);
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
        _directory.Dispose();
    }
}
