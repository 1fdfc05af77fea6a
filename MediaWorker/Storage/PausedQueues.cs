using Dapper;
using System.Data.Common;

namespace MediaWorker.Storage;

/// <summary>A paused task type: its queued jobs stay queued until it is resumed.</summary>
public sealed record QueuePause
{
    public string TaskType { get; init; } = "";
    public long PausedAt { get; init; }
    public string? PausedBy { get; init; }
    public string? Reason { get; init; }
}

/// <summary>
/// The <c>paused_queues</c> table. The claim query (<see cref="JobClaimer"/>) skips the task types
/// listed here, so every worker honours a pause at its next claim; running jobs finish. Resuming
/// is a commit like any other: the workers' WAL watch wakes their claim loops at once.
/// </summary>
public static class PausedQueues
{
    /// <summary>Pauses <paramref name="taskType"/>; false when it was paused already (the first pause is kept).</summary>
    public static bool Pause(DbConnection connection, string taskType, string? pausedBy, string? reason, long nowMs)
    {
        using var transaction = WriteTransaction.Begin(connection);
        var inserted = connection.Execute(
            "INSERT INTO paused_queues (task_type, paused_at, paused_by, reason) VALUES (@taskType, @now, @pausedBy, @reason) ON CONFLICT DO NOTHING",
            new { taskType, now = nowMs, pausedBy, reason });
        transaction.Commit();
        return inserted == 1;
    }

    /// <summary>Resumes <paramref name="taskType"/>; false when it was not paused.</summary>
    public static bool Resume(DbConnection connection, string taskType)
    {
        using var transaction = WriteTransaction.Begin(connection);
        var deleted = connection.Execute("DELETE FROM paused_queues WHERE task_type = @taskType", new { taskType });
        transaction.Commit();
        return deleted == 1;
    }

    public static IReadOnlyList<QueuePause> List(DbConnection connection) =>
        connection.Query<QueuePause>(
            "SELECT task_type AS TaskType, paused_at AS PausedAt, paused_by AS PausedBy, reason AS Reason FROM paused_queues ORDER BY task_type")
            .ToList();
}
