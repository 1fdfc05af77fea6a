namespace MediaWorker.Storage;

/// <summary>The values of the <c>status</c> column (SPEC 4). A legacy <c>error</c> row reads as failed.</summary>
public static class JobStatus
{
    public const string Queued = "queued";
    public const string Processing = "processing";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string LegacyError = "error";

    public static readonly IReadOnlyList<string> All = [Queued, Processing, Completed, Failed, Cancelled];

    /// <summary>Statuses that never change again without a person (retry).</summary>
    public static bool IsFinished(string? status) => status is Completed or Failed or Cancelled or LegacyError;

    /// <summary>What a status means to a reader: legacy <c>error</c> is <c>failed</c>.</summary>
    public static string Normalize(string? status) => status == LegacyError ? Failed : status ?? Queued;
}
