using MediaWorker.Ffmpeg;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Video.Streams;

/// <summary>Turns "no space left on device", from .NET or from ffmpeg, into one clear job error.</summary>
internal static class DiskFull
{
    private const int NoSpace = 28; // ENOSPC

    public static void Guard(string folder, Action write)
    {
        try
        {
            write();
        }
        catch (IOException ex) when ((ex.HResult & 0xFFFF) == NoSpace || ex.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase))
        {
            throw Error(folder, ex);
        }
    }

    public static bool Is(FfmpegException failure) => failure.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase);

    public static RetryableJobException Error(string folder, Exception cause) => new(
        $"The disk holding '{folder}' is full (no space left on device): free space there, or lower max_segments or segment_seconds. "
        + "The segments recorded so far are kept; the next attempt continues with a new segment.",
        cause);
}
