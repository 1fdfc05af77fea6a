using System.Data.Common;
using Dapper;

namespace MediaWorker.Storage.Postgres;

/// <summary>
/// Elects one worker among all those sharing a PostgreSQL database to run maintenance (lease
/// reaping, retention): the one whose connection holds a session advisory lock. The lock lives as
/// long as that connection, so when the elected worker dies or loses its connection, the next
/// worker to ask takes over within one maintenance interval.
/// </summary>
/// <remarks>Use with the one long-lived connection of the worker's writer thread.</remarks>
public sealed class MaintenanceElection
{
    private const long LockKey = 0x6d77_6d61_696e; // "mwmain"
    private DbConnection? _heldOn;

    /// <summary>True when this worker is (or has just become) the one that maintains.</summary>
    public bool TryLead(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (ReferenceEquals(_heldOn, connection) && connection.State == System.Data.ConnectionState.Open)
        {
            return true;
        }

        _heldOn = connection.ExecuteScalar<bool>("SELECT pg_try_advisory_lock(@key)", new { key = LockKey }) ? connection : null;
        return _heldOn is not null;
    }
}
