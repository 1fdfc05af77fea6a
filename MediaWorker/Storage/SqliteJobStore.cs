using System.Data.Common;
using MediaWorker.Configuration;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>The SQLite file of SPEC 4: WAL mode, one writer, the claim of <see cref="JobClaimer"/>.</summary>
public sealed class SqliteJobStore(StoreSettings settings) : IJobStore
{
    public SqliteConnectionFactory Factory { get; } = new(settings);

    public StoreSettings Settings => Factory.Settings;

    public bool ReapsWhileClaiming => true;

    public DbConnection Open() => Factory.Open();

    public void Migrate(DbConnection connection) => SchemaMigrator.Migrate((SqliteConnection)connection);

    public IJobClaimer CreateClaimer(DbConnection connection) => new JobClaimer((SqliteConnection)connection);
}
