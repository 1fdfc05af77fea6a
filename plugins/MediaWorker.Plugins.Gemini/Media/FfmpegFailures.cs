using MediaWorker.Ffmpeg;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Gemini.Media;

/// <summary>Turns ffmpeg failures into job outcomes: unreadable input is permanent, a time-out is not.</summary>
internal static class FfmpegFailures
{
    public static Exception ToJobException(Exception exception, string parameterName, string path) => exception switch
    {
        FfmpegException { TimedOut: true } ex => new RetryableJobException($"ffmpeg took too long on {parameterName} '{Path.GetFileName(path)}': {ex.Message}", ex),
        FfmpegException ex => new PermanentJobException($"{parameterName} '{Path.GetFileName(path)}' cannot be used: {ex.Message}", ex),
        FileNotFoundException ex => new PermanentJobException($"ffmpeg/ffprobe is not installed: {ex.Message} Install the Debian package ffmpeg or set FFMPEG_PATH/FFPROBE_PATH.", ex),
        _ => exception,
    };

    /// <summary>Runs an ffmpeg step and maps its failures.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> step, string parameterName, string path)
    {
        try
        {
            return await step();
        }
        catch (Exception ex) when (ex is FfmpegException or FileNotFoundException)
        {
            throw ToJobException(ex, parameterName, path);
        }
    }
}
