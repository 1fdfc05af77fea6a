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

    public VideoServices(FfmpegToolPaths paths, UrlAllowList allowedUrls, int threadsPerJob)
    {
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

    public static VideoServices FromSettings(IPluginSettings settings, int workerConcurrency) => new(
        FfmpegToolPaths.FromSettings(settings.GetValue),
        UrlAllowList.Parse(settings.GetValue(AllowedUrlPrefixesSetting)),
        Environment.ProcessorCount / Math.Max(1, workerConcurrency));
}
