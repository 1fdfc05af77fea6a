namespace MediaWorker.Pipelines.Runs;

/// <summary>The statuses of runs and steps (docs/pipelines.md).</summary>
public static class PipelineStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>A step not released yet: its needs have not all ended.</summary>
    public const string Waiting = "waiting";

    /// <summary>A step that did not run: its <c>when</c> was false, it read a skipped step's output, or it was optional and failed.</summary>
    public const string Skipped = "skipped";

    /// <summary>A step that lets the steps after it run.</summary>
    public static bool LetsDependantsRun(string status) => status is Completed or Skipped;
}
