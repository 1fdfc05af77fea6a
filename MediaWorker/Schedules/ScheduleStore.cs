using Dapper;
using MediaWorker.Storage;
using System.Data.Common;

namespace MediaWorker.Schedules;

/// <summary>
/// The SQL of the <c>schedules</c> table. Portable (SQLite and PostgreSQL): <c>ON CONFLICT</c>,
/// <c>@name</c> parameters, no SQLite-only functions. Writes that stand alone take their own
/// IMMEDIATE transaction; those the firing makes run inside the worker's.
/// </summary>
public static class ScheduleStore
{
    private const string InsertSql = """
        INSERT INTO schedules (name, cron, time_zone, catch_up, target, paused, next_run_at, created_at, updated_at)
        VALUES (@Name, @Cron, @TimeZone, @CatchUp, @Target, @Paused, @NextRunAt, @CreatedAt, @UpdatedAt)
        """;

    /// <summary>Inserts a new schedule; false when the name is taken.</summary>
    public static bool Insert(DbConnection connection, ScheduleRecord schedule)
    {
        using var transaction = WriteTransaction.Begin(connection);
        var inserted = connection.Execute(InsertSql + " ON CONFLICT DO NOTHING", schedule);
        transaction.Commit();
        return inserted == 1;
    }

    /// <summary>Inserts or replaces the definition; a replaced schedule keeps its history (last run, created_at).</summary>
    public static void Upsert(DbConnection connection, ScheduleRecord schedule)
    {
        using var transaction = WriteTransaction.Begin(connection);
        connection.Execute(
            InsertSql + """

            ON CONFLICT (name) DO UPDATE SET cron = excluded.cron, time_zone = excluded.time_zone, catch_up = excluded.catch_up,
                target = excluded.target, paused = excluded.paused, next_run_at = excluded.next_run_at, last_error = NULL,
                updated_at = excluded.updated_at
            """,
            schedule);
        transaction.Commit();
    }

    public static ScheduleRecord? Find(DbConnection connection, string name) =>
        connection.QuerySingleOrDefault<ScheduleRecord>($"SELECT {ScheduleRecord.Columns} FROM schedules WHERE name = @name", new { name });

    public static IReadOnlyList<ScheduleRecord> List(DbConnection connection) =>
        connection.Query<ScheduleRecord>($"SELECT {ScheduleRecord.Columns} FROM schedules ORDER BY name").ToList();

    /// <summary>Pauses (next run cleared) or resumes (next run given); false when there is no such schedule.</summary>
    public static bool SetPaused(DbConnection connection, string name, bool paused, long? nextRunAt, long nowMs)
    {
        using var transaction = WriteTransaction.Begin(connection);
        var changed = connection.Execute(
            "UPDATE schedules SET paused = @paused, next_run_at = @nextRunAt, updated_at = @now WHERE name = @name",
            new { name, paused = paused ? 1 : 0, nextRunAt, now = nowMs });
        transaction.Commit();
        return changed == 1;
    }

    /// <summary>Deletes the schedule; jobs it already submitted stay. False when there is no such schedule.</summary>
    public static bool Delete(DbConnection connection, string name)
    {
        using var transaction = WriteTransaction.Begin(connection);
        var deleted = connection.Execute("DELETE FROM schedules WHERE name = @name", new { name });
        transaction.Commit();
        return deleted == 1;
    }

    /// <summary>When the earliest active schedule is due next; null when none is (a read, no lock).</summary>
    public static long? NextDueAt(DbConnection connection) =>
        connection.ExecuteScalar<long?>("SELECT MIN(next_run_at) FROM schedules WHERE paused = 0");

    /// <summary>Active schedules due at <paramref name="nowMs"/>, earliest first (inside the firing transaction).</summary>
    internal static IReadOnlyList<ScheduleRecord> Due(DbConnection connection, long nowMs, int limit) =>
        connection.Query<ScheduleRecord>(
            $"SELECT {ScheduleRecord.Columns} FROM schedules WHERE paused = 0 AND next_run_at <= @now ORDER BY next_run_at, name LIMIT @limit",
            new { now = nowMs, limit }).ToList();

    /// <summary>
    /// Moves the schedule on, only if its next run is still the one the caller read: a second
    /// writer that read the same row (PostgreSQL's READ COMMITTED) changes nothing.
    /// </summary>
    internal static bool Advance(DbConnection connection, string name, long expected, long? next, long? lastRunAt, string? lastJobId, string? error, long nowMs) =>
        connection.Execute(
            """
            UPDATE schedules SET next_run_at = @next, last_run_at = COALESCE(@lastRunAt, last_run_at), last_job_id = COALESCE(@lastJobId, last_job_id),
                last_error = @error, updated_at = @now
            WHERE name = @name AND next_run_at = @expected
            """,
            new { name, expected, next, lastRunAt, lastJobId, error, now = nowMs }) == 1;
}
