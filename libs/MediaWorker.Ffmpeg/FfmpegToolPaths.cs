namespace MediaWorker.Ffmpeg;

/// <summary>Where the <c>ffmpeg</c> and <c>ffprobe</c> programs are.</summary>
/// <param name="Ffmpeg">A path, or a bare name looked up on <c>PATH</c> at each run.</param>
/// <param name="Ffprobe">A path, or a bare name looked up on <c>PATH</c> at each run.</param>
public sealed record FfmpegToolPaths(string Ffmpeg, string Ffprobe)
{
    /// <summary>The setting that overrides the ffmpeg program.</summary>
    public const string FfmpegSetting = "FFMPEG_PATH";

    /// <summary>The setting that overrides the ffprobe program.</summary>
    public const string FfprobeSetting = "FFPROBE_PATH";

    /// <summary>Both programs from <c>PATH</c>.</summary>
    public static FfmpegToolPaths Default { get; } = new("ffmpeg", "ffprobe");

    /// <summary>Reads <c>FFMPEG_PATH</c> and <c>FFPROBE_PATH</c>; an unset or empty one falls back to the name on <c>PATH</c>.</summary>
    /// <param name="getSetting">Returns a setting's value or <see langword="null"/>, e.g. <c>context.Settings.GetValue</c> in a plugin.</param>
    public static FfmpegToolPaths FromSettings(Func<string, string?> getSetting)
    {
        ArgumentNullException.ThrowIfNull(getSetting);
        return new(
            NonEmpty(getSetting(FfmpegSetting)) ?? Default.Ffmpeg,
            NonEmpty(getSetting(FfprobeSetting)) ?? Default.Ffprobe);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
