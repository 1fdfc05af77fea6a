using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Native;
using MediaWorker.Plugins.Image.Processing;
using MediaWorker.Plugins.Image.Settings;
using MediaWorker.Plugins.Image.Tasks;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Image;

/// <summary>
/// The image plugin: <c>image_resize</c>, <c>image_conversion</c>, <c>media_thumbnail</c>, <c>exif</c>
/// and <c>hash</c>, on ImageMagick 6's MagickWand C API.
/// </summary>
/// <remarks>
/// Loading ImageMagick and applying its limits happens here, at load, on purpose: a worker without
/// libMagickWand reports the plugin as failed to load (with the package to install) instead of
/// failing every image job. ffmpeg is looked up only when a video thumbnail needs it.
/// </remarks>
public sealed class ImagePlugin : IMediaWorkerPlugin
{
    /// <inheritdoc />
    public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = ImageSettings.Read(context.Settings, context.WorkerConcurrency);
        try
        {
            MagickRuntime.ApplyLimits(settings.ToMagickLimits());
        }
        catch (DllNotFoundException ex)
        {
            throw new InvalidOperationException(
                $"ImageMagick's {MagickLibraries.Wand} could not be loaded ({ex.Message}); install the Debian package libmagickwand-6.q16-6.", ex);
        }

        var logger = context.LoggerFactory.CreateLogger("MediaWorker.Plugins.Image");
        var effective = settings.CappedBy(
            MagickRuntime.GetLimit(ResourceType.WidthResource), MagickRuntime.GetLimit(ResourceType.HeightResource), MagickRuntime.GetLimit(ResourceType.ListLengthResource));
        if (effective != settings)
        {
            logger.LogWarning(
                "ImageMagick's policy.xml lowers the image limits to {Width}x{Height} px and {Frames} frames (asked for {AskedWidth}x{AskedHeight} and {AskedFrames}); those apply",
                effective.MaxWidth, effective.MaxHeight, effective.MaxFrames, settings.MaxWidth, settings.MaxHeight, settings.MaxFrames);
            settings = effective;
        }

        logger.LogInformation(
            "Image plugin: ImageMagick limits memory {Memory} MiB, map {Map} MiB, disk {Disk} MiB, {Width}x{Height} px, {Area} MP, {Frames} frames, {Threads} thread(s) per image, time limit {TimeLimit}",
            settings.MaxMemoryMegabytes, settings.MaxMapMegabytes, settings.MaxDiskMegabytes, settings.MaxWidth, settings.MaxHeight,
            settings.MaxAreaMegapixels, settings.MaxFrames, settings.Threads, settings.TimeLimit?.ToString() ?? "none");
        var loader = new ImageLoader(settings);
        var renderer = new ImageRenderer(loader, settings);
        var tools = FfmpegToolPaths.FromSettings(context.Settings.GetValue);
        var videoGrid = new VideoGrid(new FfmpegRunner(tools), new FfprobeRunner(tools));
        return
        [
            new ImageResizeHandler(renderer),
            new ImageConversionHandler(renderer),
            new MediaThumbnailHandler(renderer, videoGrid),
            new ExifHandler(loader),
            new HashHandler(loader, settings),
        ];
    }
}
