namespace MediaWorker.Schedules;

/// <summary>One row of the <c>schedules</c> table. Times are epoch milliseconds (UTC).</summary>
public sealed record ScheduleRecord
{
    /// <summary>The schedule's name, unique; part of every occurrence's idempotency key.</summary>
    public string Name { get; init; } = "";
    public string Cron { get; init; } = "";
    /// <summary>IANA zone the expression is read in.</summary>
    public string TimeZone { get; init; } = "UTC";
    /// <summary><c>skip</c> or <c>run_once</c> (<see cref="CatchUpPolicies"/>).</summary>
    public string CatchUp { get; init; } = "skip";
    /// <summary>The target as JSON (<see cref="ScheduleTarget"/>).</summary>
    public string Target { get; init; } = "{}";
    public long Paused { get; init; }
    /// <summary>The next occurrence not yet started; null while paused or when it never occurs again.</summary>
    public long? NextRunAt { get; init; }
    /// <summary>The latest occurrence started.</summary>
    public long? LastRunAt { get; init; }
    public string? LastJobId { get; init; }
    /// <summary>Why the last attempt to start an occurrence failed (cleared by the next success).</summary>
    public string? LastError { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }

    public bool IsPaused => Paused != 0;

    /// <summary>The columns in the order and names this record maps.</summary>
    internal const string Columns = """
        name AS Name, cron AS Cron, time_zone AS TimeZone, catch_up AS CatchUp, target AS Target, paused AS Paused,
        next_run_at AS NextRunAt, last_run_at AS LastRunAt, last_job_id AS LastJobId, last_error AS LastError,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;
}
