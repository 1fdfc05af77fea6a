using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Diagnostics;
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
    public static Exception Translate(FfmpegException failure, MediaInput input)
    {
        var reason = failure.Message;
        var message = reason.Contains(input.DisplayName, StringComparison.Ordinal) ? reason : $"'{input.DisplayName}': {reason}";
        return FfmpegFailureClassifier.IsPassing(failure, input.IsUrl) ? new RetryableJobException(message, failure) : new PermanentJobException(message, failure);
    }
}
