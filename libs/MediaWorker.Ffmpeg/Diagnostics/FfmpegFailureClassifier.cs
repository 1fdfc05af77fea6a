namespace MediaWorker.Ffmpeg.Diagnostics;

/// <summary>
/// Tells a passing ffmpeg failure (worth another attempt) from a bad input (never worth one).
/// Every plugin decides its job outcome with this, so they all agree on what is retried.
/// </summary>
public static class FfmpegFailureClassifier
{
    private static readonly string[] LocalPassingFaults = ["No space left on device", "Cannot allocate memory", "Resource temporarily unavailable"];

    private static readonly string[] NetworkPassingFaults =
    [
        "Connection refused", "Connection timed out", "Connection reset", "Network is unreachable", "timed out",
        "Server returned 5", "Server returned 429", "Input/output error",
    ];

    /// <summary>
    /// True when the failure may pass: the time limit ran out, the disk was full, memory ran short,
    /// or (for network inputs only) the connection failed or the server answered 5xx/429.
    /// Anything else means ffmpeg could not use the input.
    /// </summary>
    /// <param name="failure">The failure to judge.</param>
    /// <param name="networkInput">Whether the input was a URL, where network errors are passing faults.</param>
    public static bool IsPassing(FfmpegException failure, bool networkInput = false)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var reason = failure.Message;
        return failure.TimedOut
            || LocalPassingFaults.Any(f => reason.Contains(f, StringComparison.OrdinalIgnoreCase))
            || (networkInput && NetworkPassingFaults.Any(f => reason.Contains(f, StringComparison.OrdinalIgnoreCase)));
    }
}
