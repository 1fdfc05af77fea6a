using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Processes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;
using MediaWorker.Plugins.Video.Streams;
using MediaWorker.Plugins.Video.Tasks;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Video;

/// <summary>
/// The Video plugin: <c>video_probe</c>, <c>keyframes</c>, <c>scene_detect</c>, <c>audio_extract</c>,
/// <c>transcode</c>, <c>hls_streaming</c>, <c>sprite_sheet</c>, <c>clip_extract</c> and the live
/// <c>stream_ingest</c>, all run by ffmpeg/ffprobe child processes. Settings: <c>FFMPEG_PATH</c>,
/// <c>FFPROBE_PATH</c> (default: from PATH), <c>VIDEO_ALLOWED_URL_PREFIXES</c> (default: empty, no
/// URL inputs) and <c>STREAM_MAX_CONCURRENT</c> (default 2 ingests per worker).
/// </summary>
public sealed class VideoPlugin : IMediaWorkerPlugin
{
    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">ffmpeg or ffprobe is missing: the worker must not advertise tasks it cannot run.</exception>
    public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = VideoServices.FromSettings(context.Settings, context.WorkerConcurrency);
        foreach (var (program, setting) in new[] { (services.Ffmpeg.Paths.Ffmpeg, FfmpegToolPaths.FfmpegSetting), (services.Ffmpeg.Paths.Ffprobe, FfmpegToolPaths.FfprobeSetting) })
        {
            if (ExecutableLocator.TryResolve(program) is null)
            {
                throw new InvalidOperationException($"'{program}' was not found: install ffmpeg (Debian: apt-get install ffmpeg) or set {setting} to the program's path.");
            }
        }

        var logger = context.LoggerFactory.CreateLogger<VideoPlugin>();
        if (ChildProcessRecords.KillOrphansOfDeadWorkers() is var orphans and > 0)
        {
            logger.LogWarning("Killed {Count} ffmpeg process group(s) left running by a worker that died.", orphans);
        }

        logger.LogInformation(
            "Video plugin: ffmpeg '{Ffmpeg}', ffprobe '{Ffprobe}', {Threads} encoder thread(s) per job, URL inputs {Urls}.",
            services.Ffmpeg.Paths.Ffmpeg,
            services.Ffmpeg.Paths.Ffprobe,
            services.ThreadsPerJob,
            services.AllowedUrls.Prefixes.Count == 0 ? "off" : "allowed under " + string.Join(", ", services.AllowedUrls.Prefixes));

        return
        [
            new VideoProbeHandler(services),
            new KeyframesHandler(services),
            new SceneDetectHandler(services),
            new AudioExtractHandler(services),
            new TranscodeHandler(services),
            new HlsStreamingHandler(services),
            new SpriteSheetHandler(services),
            new ClipExtractHandler(services),
            new StreamIngestHandler(services, context.Time),
        ];
    }
}
