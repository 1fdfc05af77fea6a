using System.Data.Common;
using MediaWorker.Configuration;

namespace MediaWorker.Storage;

/// <summary>
/// The part of the job store that differs between engines: how connections open, how the schema is
/// migrated, and how jobs are claimed. Everything else (submitting, fenced outcome writes,
/// administration, heartbeats) is portable SQL over <see cref="DbConnection"/> with Dapper.
/// <see cref="JobStores.For"/> picks the engine from <c>DATABASE_URL</c>.
/// </summary>
public interface IJobStore
{
    StoreSettings Settings { get; }

    /// <summary>The one place that opens connections to the job database.</summary>
    DbConnection Open();

    /// <summary>Brings the schema forward, idempotently; refuses a schema newer than this build knows.</summary>
    void Migrate(DbConnection connection);

    /// <summary>A claimer for <paramref name="connection"/> (one per connection; not thread-safe).</summary>
    IJobClaimer CreateClaimer(DbConnection connection);

    /// <summary>
    /// True when every claim first settles expired leases that must not run again (SQLite: one
    /// writer, so it costs nothing); false when one elected worker's maintenance does it.
    /// </summary>
    bool ReapsWhileClaiming { get; }
}

/// <summary>Claims jobs for one connection; see <see cref="JobClaimer"/> for the semantics every engine keeps.</summary>
public interface IJobClaimer : IDisposable
{
    IReadOnlyList<ClaimedJob> Claim(ClaimRequest request, long nowMs);
}
