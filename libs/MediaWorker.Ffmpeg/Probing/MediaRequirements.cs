using MediaWorker.Ffmpeg.Inputs;

namespace MediaWorker.Ffmpeg.Probing;

/// <summary>
/// Checks that probed media has what a task needs, with messages that say what the input is
/// instead ("'talk.m4a' has no video stream (it has only audio (aac))").
/// </summary>
public static class MediaRequirements
{
    /// <summary>The input's primary video stream and its positive duration.</summary>
    /// <exception cref="FfmpegException">There is no video stream, or no positive duration.</exception>
    public static (StreamInfo Video, TimeSpan Duration) RequireVideo(MediaInfo info, MediaInput input)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(input);
        var video = info.PrimaryVideo ?? throw new FfmpegException($"'{input}' has no video stream (it has {Describe(info)}).");
        return (video, RequireDuration(info.Duration ?? video.Duration, input));
    }

    /// <summary>The input's primary audio stream and its positive duration.</summary>
    /// <exception cref="FfmpegException">There is no audio stream, or no positive duration.</exception>
    public static (StreamInfo Audio, TimeSpan Duration) RequireAudio(MediaInfo info, MediaInput input)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(input);
        var audio = info.PrimaryAudio ?? throw new FfmpegException($"'{input}' has no audio stream (it has {Describe(info)}).");
        return (audio, RequireDuration(info.Duration ?? audio.Duration, input));
    }

    private static TimeSpan RequireDuration(TimeSpan? duration, MediaInput input) => duration switch
    {
        null => throw new FfmpegException($"'{input}' has no known duration (a live stream cannot be processed to its end)."),
        { } d when d <= TimeSpan.Zero => throw new FfmpegException($"'{input}' has a duration of zero: there is nothing to process."),
        { } d => d,
    };

    private static string Describe(MediaInfo info) =>
        info.Streams.Count == 0
            ? "no streams at all"
            : "only " + string.Join(", ", info.Streams.Select(s => $"{s.Kind.ToString().ToLowerInvariant()} ({s.CodecName ?? "unknown codec"})"));
}
