using Dapper;
using MediaWorker.Storage;
using MediaWorker.Storage.Postgres;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NUnit.Framework;

namespace MediaWorker.Tests.Storage;

/// <summary>What only the PostgreSQL store has: its migrations, foreign inserts, NOTIFY wake-up, the maintenance election.</summary>
public sealed class PostgresStoreTests
{
    private StoreFixture _store = null!;

    [SetUp]
    public void SetUp() => _store = new StoreFixture(StoreKind.Postgres);

    [TearDown]
    public void TearDown() => _store.Dispose();

    [Test]
    public void Migrate_IsIdempotent_AndRecordsEachStepOnce()
    {
        _store.Store.Migrate(_store.Connection);
        _store.Store.Migrate(_store.Connection);

        var versions = _store.Connection.Query<int>("SELECT version FROM mediaworker_schema_migrations ORDER BY version").ToList();
        Assert.That(versions, Is.EqualTo(Enumerable.Range(1, PostgresSchema.CurrentVersion)));
        Assert.That(_store.Count("SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'jobs' AND indexname IN ('jobs_queue', 'jobs_lease') AND indexdef LIKE '%WHERE%'"), Is.EqualTo(2), "partial indexes for the queue and leases");
        Assert.That(_store.Count("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'jobs' AND column_name IN ('params', 'output') AND data_type = 'jsonb'"), Is.EqualTo(2));
    }

    [Test]
    public void Migrate_OfAFreshDatabase_ByWorkersStartingTogether_AppliesEachStepExactlyOnce()
    {
        var settings = StoreFixture.PostgresSettings(PostgresServer.Shared.CreateDatabase("race"), _store.Directory);
        var store = JobStores.For(settings);
        const int starters = 4; // within the pool of DATABASE_POOL_SIZE (5)
        using var go = new Barrier(starters);
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, starters).Select(_ => new Thread(() =>
        {
            try
            {
                using var connection = store.Open();
                go.SignalAndWait(TimeSpan.FromSeconds(30));
                store.Migrate(connection);
            }
            catch (Exception ex)
            {
                failures.Add(ex);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.That(failures, Is.Empty);
        using var check = store.Open();
        var applied = check.Query<(int Version, string AppliedBy)>("SELECT version, applied_by FROM mediaworker_schema_migrations").ToList();
        Assert.That(applied.Select(a => a.Version), Is.EqualTo(Enumerable.Range(1, PostgresSchema.CurrentVersion)), "each step once");
        Assert.That(applied.Select(a => a.AppliedBy).Distinct().Count(), Is.EqualTo(1), "by one of the starters, in one transaction");
    }

    [Test]
    public void Migrate_RefusesASchemaNewerThanItKnows_AndChangesNothing()
    {
        _store.Connection.Execute("INSERT INTO mediaworker_schema_migrations (version, applied_at, applied_by) VALUES (99, 0, 'future')");

        var error = Assert.Throws<InvalidOperationException>(() => _store.Store.Migrate(_store.Connection))!;

        Assert.That(error.Message, Does.Contain("schema version 99").And.Contain($"({PostgresSchema.CurrentVersion})").And.Contain("Upgrade MediaWorker"));
    }

    [Test]
    public void ForeignProducer_MinimalInsert_IsAValidJob()
    {
        _store.Connection.Execute("INSERT INTO jobs (job_id, task_type, params, status, created_at) VALUES ('foreign-1', 'noop', '{\"a\": 1}', 'queued', 5)");
        _store.Connection.Execute("INSERT INTO jobs (task_type, params) VALUES ('noop', '{}')");

        var claimed = _store.Claim(5, "noop");

        Assert.That(claimed, Has.Count.EqualTo(2));
        Assert.That(claimed[0].JobId, Is.EqualTo("foreign-1"), "older first");
        Assert.That(claimed[1].JobId, Has.Length.EqualTo(36), "a uuid is made when the producer gives none");
        Assert.That(claimed.All(c => c.Attempt == 1 && c.MaxRetries == 3 && c.Priority == 5), Is.True);
    }

    [Test]
    public async Task Insert_WakesListeners_ThroughNotify()
    {
        var woken = 0;
        var store = (PostgresJobStore)_store.Store;
        using var listener = new PostgresQueueListener(store, () => Interlocked.Increment(ref woken), _ => TimeSpan.FromMilliseconds(100), NullLogger.Instance);
        await listener.Listening.WaitAsync(TimeSpan.FromSeconds(10));
        await DaemonEnvironment.EventuallyAsync(() => Volatile.Read(ref woken) >= 1, TimeSpan.FromSeconds(5)); // the wake-up after connecting
        var before = Volatile.Read(ref woken);

        _store.Submit();

        Assert.That(await DaemonEnvironment.EventuallyAsync(() => Volatile.Read(ref woken) > before, TimeSpan.FromSeconds(5)), Is.True);
    }

    [Test]
    public void MaintenanceElection_HasOneLeader_AndTheNextTakesOverWhenItsConnectionCloses()
    {
        var first = new MaintenanceElection();
        var second = new MaintenanceElection();
        var leaderConnection = _store.Store.Open();
        using var other = _store.Store.Open();

        Assert.That(first.TryLead(leaderConnection), Is.True);
        Assert.That(first.TryLead(leaderConnection), Is.True, "stays the leader");
        Assert.That(second.TryLead(other), Is.False);

        leaderConnection.Dispose();
        NpgsqlConnection.ClearAllPools(); // closes the physical connection: its backend exits and the lock is free

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!second.TryLead(other) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        Assert.That(second.TryLead(other), Is.True);
    }

    [Test]
    public void Url_CarriesTlsAndPoolOptions_AndNeverShowsThePassword()
    {
        var (connectionString, error) = PostgresUrl.Parse("postgresql://mw:s%40cret@db.lan:6543/jobs?sslmode=verify-full&sslrootcert=/etc/ca.pem&sslcert=/etc/c.pem&sslkey=/etc/k.pem", 7);

        Assert.That(error, Is.Null);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Assert.That((builder.Host, builder.Port, builder.Database, builder.Username, builder.Password), Is.EqualTo(("db.lan", 6543, "jobs", "mw", "s@cret")));
        Assert.That((builder.SslMode, builder.RootCertificate, builder.SslCertificate, builder.SslKey), Is.EqualTo((SslMode.VerifyFull, "/etc/ca.pem", "/etc/c.pem", "/etc/k.pem")));
        Assert.That(builder.MaxPoolSize, Is.EqualTo(7));
        Assert.That(PostgresUrl.Describe(connectionString!), Is.EqualTo("postgresql://mw@db.lan:6543/jobs"));

        Assert.That(PostgresUrl.Parse("postgresql://mw:pw@db.lan/jobs?sslmode=sometimes", 5).Error, Does.Contain("sslmode").And.Not.Contain("pw@"));
        Assert.That(PostgresUrl.Parse("postgresql://mw:pw@db.lan/jobs?colour=blue", 5).Error, Does.Contain("'colour'").And.Contain("sslmode"));
        Assert.That(PostgresUrl.Parse("postgresql://db.lan", 5).Error, Does.Contain("names no database"));
    }
}
