using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Audio;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Ffmpeg.Scenes;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Video.Common;

/// <summary>What every video handler shares: the ffmpeg tools, the URL allow-list and the thread budget.</summary>
internal sealed class VideoServices
{
    /// <summary>The setting listing URL prefixes a job's input may start with (comma-separated, empty by default).</summary>
    public const string AllowedUrlPrefixesSetting = "VIDEO_ALLOWED_URL_PREFIXES";

    /// <summary>The setting capping how many <c>stream_ingest</c> jobs one worker runs at once (default 2): each holds a slot for as long as its stream lasts.</summary>
    public const string StreamMaxConcurrentSetting = "STREAM_MAX_CONCURRENT";

    public const int DefaultStreamMaxConcurrent = 2;

    public VideoServices(FfmpegToolPaths paths, UrlAllowList allowedUrls, int threadsPerJob, int streamMaxConcurrent = DefaultStreamMaxConcurrent)
    {
        StreamMaxConcurrent = streamMaxConcurrent;
        Ffmpeg = new FfmpegRunner(paths);
        Ffprobe = new FfprobeRunner(paths);
        Scenes = new SceneDetector(Ffmpeg, Ffprobe);
        Audio = new AudioDecoder(Ffmpeg, Ffprobe);
        LocalInputs = new LocalInputGuard(paths);
        AllowedUrls = allowedUrls;
        ThreadsPerJob = Math.Max(1, threadsPerJob);
    }

    public FfmpegRunner Ffmpeg { get; }

    public FfprobeRunner Ffprobe { get; }

    public SceneDetector Scenes { get; }

    public AudioDecoder Audio { get; }

    public UrlAllowList AllowedUrls { get; }

    /// <summary>Identifies a local input's real format and checks what a playlist or list names.</summary>
    public LocalInputGuard LocalInputs { get; }

    /// <summary>Encoder threads per job, so concurrent jobs share the cores instead of each taking all of them.</summary>
    public int ThreadsPerJob { get; }

    /// <summary>The most live-stream ingests this worker runs at once.</summary>
    public int StreamMaxConcurrent { get; }

    /// <exception cref="InvalidOperationException">A setting has an invalid value.</exception>
    public static VideoServices FromSettings(IPluginSettings settings, int workerConcurrency) => new(
        FfmpegToolPaths.FromSettings(settings.GetValue),
        UrlAllowList.Parse(settings.GetValue(AllowedUrlPrefixesSetting)),
        Environment.ProcessorCount / Math.Max(1, workerConcurrency),
        StreamLimit(settings.GetValue(StreamMaxConcurrentSetting)));

    private static int StreamLimit(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultStreamMaxConcurrent;
        }

        return int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit) && limit >= 1
            ? limit
            : throw new InvalidOperationException($"{StreamMaxConcurrentSetting} must be a whole number of at least 1 (got '{value}').");
    }
}
