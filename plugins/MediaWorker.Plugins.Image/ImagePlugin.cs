using ImageMagick;
using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Magick;
using MediaWorker.Plugins.Image.Processing;
using MediaWorker.Plugins.Image.Settings;
using MediaWorker.Plugins.Image.Tasks;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Image;

/// <summary>
/// The image plugin: <c>image_resize</c>, <c>image_conversion</c>, <c>media_thumbnail</c>, <c>exif</c>
/// and <c>hash</c>, on ImageMagick 7 through Magick.NET (Q8).
/// </summary>
/// <remarks>
/// Starting ImageMagick (with the plugin's own security policy) and applying its limits happens here,
/// at load, on purpose: before any image, and so that a worker whose native library does not load
/// reports the plugin as failed to load instead of failing every image job. ffmpeg is looked up only
/// when a video thumbnail needs it.
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
            MagickRuntime.Start(settings.ToMagickLimits());
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            throw new InvalidOperationException(
                $"Magick.NET's native library could not be loaded ({ex.GetBaseException().Message}); the plugin folder must hold Magick.Native-Q8-x64.dll.so (publish it with -r linux-x64).", ex);
        }

        var logger = context.LoggerFactory.CreateLogger("MediaWorker.Plugins.Image");
        var effective = settings.CappedBy(ResourceLimits.Width, ResourceLimits.Height, ResourceLimits.ListLength);
        if (effective != settings)
        {
            logger.LogWarning(
                "ImageMagick's policy lowers the image limits to {Width}x{Height} px and {Frames} frames (asked for {AskedWidth}x{AskedHeight} and {AskedFrames}); those apply",
                effective.MaxWidth, effective.MaxHeight, effective.MaxFrames, settings.MaxWidth, settings.MaxHeight, settings.MaxFrames);
            settings = effective;
        }

        logger.LogInformation(
            "Image plugin: {Version}, policy in {PolicyDirectory}; limits memory {Memory} MiB, map {Map} MiB, disk {Disk} MiB, {Width}x{Height} px, {Area} MP, {Frames} frames, {Threads} thread(s) per image, time limit {TimeLimit}",
            MagickNET.ImageMagickVersion, MagickRuntime.ConfigurationDirectory, settings.MaxMemoryMegabytes, settings.MaxMapMegabytes, settings.MaxDiskMegabytes, settings.MaxWidth, settings.MaxHeight,
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
