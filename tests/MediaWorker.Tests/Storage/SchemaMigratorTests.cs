using Dapper;
using MediaWorker.Storage;
using MediaWorker.Testing;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace MediaWorker.Tests.Storage;

public sealed class SchemaMigratorTests
{
    /// <summary>The table the seed's Python worker creates (SPEC 4), without any MediaWorker column.</summary>
    private const string SeedSchema = """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id TEXT UNIQUE NOT NULL,
            task_type TEXT NOT NULL,
            params TEXT,
            output TEXT,
            status TEXT DEFAULT 'queued',
            priority INTEGER DEFAULT 5,
            progress INTEGER DEFAULT 0,
            created_at INTEGER,
            started_at INTEGER,
            completed_at INTEGER,
            updated_at INTEGER,
            error_message TEXT,
            retry_count INTEGER DEFAULT 0,
            max_retries INTEGER DEFAULT 3,
            created_by TEXT
        );
        INSERT INTO jobs (job_id, task_type, params, status, created_at) VALUES ('seed-queued', 'noop', '{}', 'queued', 1000);
        INSERT INTO jobs (job_id, task_type, params, status, created_at, error_message) VALUES ('seed-error', 'noop', '{}', 'error', 900, 'boom');
        """;

    [Test]
    public void Migrate_UpgradesASeedDatabaseInPlace_AndKeepsItsProducersWorking()
    {
        using var dir = new TempDirectory("mw-seed");
        var path = Path.Combine(dir.Path, "media_store.db");
        using (var seed = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            seed.Open();
            seed.Execute(SeedSchema);
        }

        var factory = new SqliteConnectionFactory(MediaWorker.Configuration.StoreSettings.ForPath(path));
        using var connection = factory.Open();
        SchemaMigrator.Migrate(connection);
        SchemaMigrator.Migrate(connection); // idempotent

        Assert.That(connection.ExecuteScalar<long>("PRAGMA user_version"), Is.EqualTo(SchemaMigrator.CurrentVersion));
        Assert.That(connection.ExecuteScalar<string>("PRAGMA journal_mode"), Is.EqualTo("wal"));
        Assert.That(JobAdministration.Find(connection, "seed-error")!.Status, Is.EqualTo(JobStatus.Failed), "legacy 'error' reads as failed");

        // A foreign producer keeps inserting the seed's minimal row.
        connection.Execute("INSERT INTO jobs (job_id, task_type, params, status, created_at) VALUES ('foreign', 'noop', '{}', 'queued', 2000)");
        connection.Execute("INSERT INTO jobs (job_id, task_type, params, status) VALUES ('no-time', 'noop', '{}', 'queued')");
        Assert.That(JobAdministration.Find(connection, "no-time")!.CreatedAt, Is.GreaterThan(0), "created_at is filled in");

        using var claimer = new JobClaimer(connection);
        var claimed = claimer.Claim(new ClaimRequest("w1", [("noop", 10)], 10, TimeSpan.FromSeconds(30)), 5000);
        Assert.That(claimed.Select(c => c.JobId), Is.EquivalentTo(new[] { "seed-queued", "foreign", "no-time" }));
        Assert.That(claimed.All(c => c.MaxAttempts == 4), Is.True);
    }

    [Test]
    public void Migrate_RefusesANewerSchema()
    {
        using var dir = new TempDirectory("mw-newer");
        var factory = new SqliteConnectionFactory(MediaWorker.Configuration.StoreSettings.ForPath(Path.Combine(dir.Path, "db.sqlite")));
        using var connection = factory.Open();
        SchemaMigrator.Migrate(connection);
        connection.Execute("PRAGMA user_version = 99");

        var ex = Assert.Throws<InvalidOperationException>(() => SchemaMigrator.Migrate(connection));
        Assert.That(ex!.Message, Does.Contain("newer"));
    }
}
