using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Video.Common;

/// <summary>The plugin's log lines, worded once.</summary>
internal static class VideoLog
{
    public static void LogSkippedFrame(this ILogger logger, TimeSpan time) =>
        logger.LogWarning("No frame at {Time} s: the video stream ends before the container does; the frame is left out.", time.TotalSeconds);

    public static void LogFfmpegCommand(this ILogger logger, string commandLine, TimeSpan elapsed) =>
        logger.LogDebug("ffmpeg finished in {ElapsedMs} ms: {CommandLine}", (long)elapsed.TotalMilliseconds, commandLine);
}
