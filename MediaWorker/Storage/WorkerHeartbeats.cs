using System.Data.Common;
using Dapper;

namespace MediaWorker.Storage;

/// <summary>One row of the <c>workers</c> table: what a worker said about itself at its last heartbeat.</summary>
public sealed record WorkerHeartbeatRow
{
    public string WorkerId { get; init; } = "";
    public string Host { get; init; } = "";
    public long Pid { get; init; }
    /// <summary>The task types served, as a JSON array.</summary>
    public string Capabilities { get; init; } = "[]";
    public long Slots { get; init; }
    public long ActiveJobs { get; init; }
    public string Status { get; init; } = "idle";
    public string? Version { get; init; }
    public long StartedAt { get; init; }
    public long LastSeen { get; init; }
    /// <summary>After this many milliseconds without a heartbeat the worker counts as gone.</summary>
    public long HeartbeatTimeoutMs { get; init; }

    public bool IsLive(long nowMs) => nowMs - LastSeen <= HeartbeatTimeoutMs;
}

/// <summary>Reads and writes the <c>workers</c> heartbeat table (schema step 2).</summary>
public static class WorkerHeartbeats
{
    private const string Columns = """
        worker_id AS WorkerId, host AS Host, pid AS Pid, capabilities AS Capabilities, slots AS Slots,
        active_jobs AS ActiveJobs, status AS Status, version AS Version, started_at AS StartedAt,
        last_seen AS LastSeen, heartbeat_timeout_ms AS HeartbeatTimeoutMs
        """;

    /// <summary>Writes the worker's row; the caller owns the transaction (one statement: autocommit is fine).</summary>
    public static void Upsert(DbConnection connection, WorkerHeartbeatRow row) => connection.Execute(
        """
        INSERT INTO workers (worker_id, host, pid, capabilities, slots, active_jobs, status, version, started_at, last_seen, heartbeat_timeout_ms)
        VALUES (@WorkerId, @Host, @Pid, @Capabilities, @Slots, @ActiveJobs, @Status, @Version, @StartedAt, @LastSeen, @HeartbeatTimeoutMs)
        ON CONFLICT (worker_id) DO UPDATE SET host = excluded.host, pid = excluded.pid, capabilities = excluded.capabilities,
            slots = excluded.slots, active_jobs = excluded.active_jobs, status = excluded.status, version = excluded.version,
            started_at = excluded.started_at, last_seen = excluded.last_seen, heartbeat_timeout_ms = excluded.heartbeat_timeout_ms
        """,
        row);

    /// <summary>A graceful stop removes the row at once; a killed worker's row ages out instead.</summary>
    public static void Remove(DbConnection connection, string workerId, long pid) =>
        connection.Execute("DELETE FROM workers WHERE worker_id = @workerId AND pid = @pid", new { workerId, pid });

    /// <summary>Workers whose last heartbeat is within their own timeout, by id.</summary>
    public static IReadOnlyList<WorkerHeartbeatRow> Live(DbConnection connection, long nowMs) =>
        connection.Query<WorkerHeartbeatRow>($"SELECT {Columns} FROM workers WHERE @now - last_seen <= heartbeat_timeout_ms ORDER BY worker_id", new { now = nowMs }).ToList();

    /// <summary>Every row, gone workers included (until they are cleaned up).</summary>
    public static IReadOnlyList<WorkerHeartbeatRow> All(DbConnection connection) =>
        connection.Query<WorkerHeartbeatRow>($"SELECT {Columns} FROM workers ORDER BY worker_id").ToList();

    /// <summary>Deletes rows of workers gone for longer than <paramref name="olderThanMs"/>.</summary>
    public static int DeleteGone(DbConnection connection, long nowMs, long olderThanMs) =>
        connection.Execute("DELETE FROM workers WHERE @now - last_seen > heartbeat_timeout_ms + @olderThan", new { now = nowMs, olderThan = olderThanMs });
}
