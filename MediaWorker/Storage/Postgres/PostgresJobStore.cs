using System.Data.Common;
using MediaWorker.Configuration;
using Npgsql;

namespace MediaWorker.Storage.Postgres;

/// <summary>
/// The job store on PostgreSQL (<c>DATABASE_URL=postgresql://…</c>): the same jobs table and
/// semantics as the SQLite file, shared by workers on several boxes. Connections come from
/// Npgsql's pool for the connection string (<c>DATABASE_POOL_SIZE</c>, TLS from the URL).
/// </summary>
public sealed class PostgresJobStore : IJobStore
{
    private readonly string _connectionString;

    public PostgresJobStore(StoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _connectionString = settings.PostgresConnectionString ?? throw new ArgumentException("Not a PostgreSQL store.", nameof(settings));
    }

    public StoreSettings Settings { get; }

    public bool ReapsWhileClaiming => false;

    public DbConnection Open()
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            // After a server restart every idle connection in the pool is dead: drop them all, so the next open makes a fresh one.
            NpgsqlConnection.ClearPool(connection);
            throw;
        }
    }

    public void Migrate(DbConnection connection) => PostgresSchema.Migrate(connection);

    public IJobClaimer CreateClaimer(DbConnection connection) => new PostgresJobClaimer(connection);

    /// <summary>Drops the pool's idle connections: called when one turned out dead (the server restarted).</summary>
    public void ForgetIdleConnections()
    {
        using var connection = new NpgsqlConnection(_connectionString);
        NpgsqlConnection.ClearPool(connection);
    }
}
