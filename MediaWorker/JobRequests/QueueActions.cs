using MediaWorker.Cli;
using MediaWorker.Storage;
using System.Data.Common;

namespace MediaWorker.JobRequests;

/// <summary>
/// Pausing and resuming a queue (a task type), shared by the CLI and the HTTP API. A paused task
/// type's queued jobs stay queued (and new ones can still be submitted); running ones finish.
/// </summary>
public sealed class QueueActions(DbConnection connection, Func<long> clock)
{
    /// <summary>Pauses the task type; false when it was paused already.</summary>
    public bool Pause(string taskType, string? pausedBy, string? reason) =>
        PausedQueues.Pause(connection, CheckTaskType(taskType), pausedBy, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), clock());

    /// <summary>Resumes the task type; every worker's claim loop wakes on the commit. Refuses one that is not paused.</summary>
    public void Resume(string taskType)
    {
        var checkedType = CheckTaskType(taskType);
        if (!PausedQueues.Resume(connection, checkedType))
        {
            throw new JobRequestException(JobRequestFailure.Conflict, $"Task type '{checkedType}' is not paused; nothing to resume.");
        }
    }

    public IReadOnlyList<QueuePause> Paused() => PausedQueues.List(connection);

    private static string CheckTaskType(string? taskType)
    {
        var trimmed = taskType?.Trim() ?? string.Empty;
        if (trimmed.Length == 0 || trimmed.Any(char.IsWhiteSpace))
        {
            throw new UsageException($"The task type '{taskType}' is not allowed; give one such as noop or image_resize.");
        }

        return trimmed;
    }
}
