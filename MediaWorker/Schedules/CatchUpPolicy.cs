using MediaWorker.Cli;

namespace MediaWorker.Schedules;

/// <summary>
/// What a schedule does with occurrences missed for longer than SCHEDULE_MISFIRE_GRACE (every
/// worker was down, or the database unreachable). Occurrences within the grace are never missed:
/// each of them runs, late.
/// </summary>
public enum CatchUpPolicy
{
    /// <summary>Missed occurrences do not run; the schedule carries on with the next one.</summary>
    Skip,

    /// <summary>The latest missed occurrence runs once, however many were missed.</summary>
    RunOnce,
}

/// <summary>The stored and typed names of <see cref="CatchUpPolicy"/>: <c>skip</c> and <c>run_once</c>.</summary>
public static class CatchUpPolicies
{
    public static string Name(CatchUpPolicy policy) => policy == CatchUpPolicy.RunOnce ? "run_once" : "skip";

    /// <summary>Parses <c>skip</c> or <c>run_once</c> (null: skip).</summary>
    public static CatchUpPolicy Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "skip" => CatchUpPolicy.Skip,
        "run_once" or "run-once" => CatchUpPolicy.RunOnce,
        _ => throw new UsageException($"catch-up '{text}' is not one of skip, run_once."),
    };
}
