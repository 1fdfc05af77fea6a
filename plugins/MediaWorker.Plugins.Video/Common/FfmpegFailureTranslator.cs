using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Video.Common;

/// <summary>
/// Decides what an ffmpeg failure means for the job: almost always a bad input (permanent, with
/// ffmpeg's condensed reason), but a full disk, memory pressure or a network hiccup on a URL input
/// pass, so those are retried.
/// </summary>
internal static class FfmpegFailureTranslator
{
    private static readonly string[] LocalPassingFaults = ["No space left on device", "Cannot allocate memory", "Resource temporarily unavailable"];

    private static readonly string[] NetworkPassingFaults =
    [
        "Connection refused", "Connection timed out", "Connection reset", "Network is unreachable", "timed out",
        "Server returned 5", "Server returned 429", "Input/output error",
    ];

    public static Exception Translate(FfmpegException failure, MediaInput input)
    {
        var reason = failure.Message;
        var message = reason.Contains(input.DisplayName, StringComparison.Ordinal) ? reason : $"'{input.DisplayName}': {reason}";
        var passing = LocalPassingFaults.Any(f => reason.Contains(f, StringComparison.OrdinalIgnoreCase))
            || (input.IsUrl && NetworkPassingFaults.Any(f => reason.Contains(f, StringComparison.OrdinalIgnoreCase)))
            || failure.TimedOut;
        return passing ? new RetryableJobException(message, failure) : new PermanentJobException(message, failure);
    }
}
