using MediaWorker.Configuration;
using MediaWorker.Storage.Postgres;

namespace MediaWorker.Storage;

/// <summary>Picks the engine: PostgreSQL for <c>DATABASE_URL=postgresql://…</c>, otherwise the SQLite file.</summary>
public static class JobStores
{
    public static IJobStore For(StoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.IsPostgres ? new PostgresJobStore(settings) : new SqliteJobStore(settings);
    }
}
