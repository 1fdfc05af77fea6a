using System.Diagnostics;
using ImageMagick;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Formats;
using MediaWorker.Plugins.Image.Magick;
using MediaWorker.Plugins.Image.Settings;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>
/// The image-to-image path shared by resize, conversion and thumbnails: decode upright (shrinking on
/// load when a resize allows it), resize, strip, encode to scratch, then move into place.
/// </summary>
internal sealed class ImageRenderer(ImageLoader loader, ImageSettings settings)
{
    /// <summary>The progress reported once the input is decoded (the transforms and the encoder follow).</summary>
    public const int DecodedPercent = 30;

    /// <summary>The progress reported once the transforms are done (the encoder follows).</summary>
    public const int TransformedPercent = 70;

    /// <summary>Renders and moves the result into place.</summary>
    /// <param name="job">The job (files, progress).</param>
    /// <param name="input">The opened input.</param>
    /// <param name="request">What to make.</param>
    /// <param name="cancellationToken">Stops the work between rows of the running operation.</param>
    /// <param name="progress">Where progress goes; the job's own by default.</param>
    public async Task<RenderResult> RenderAsync(IJobContext job, InputFile input, RenderRequest request, CancellationToken cancellationToken, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);
        var inputFormat = ImageLoader.RequireImage(input);
        var format = OutputFormatChoice.Resolve(request.Format, request.OutputPath, inputFormat);
        var output = OutputFile.Plan(job.Files, request.OutputPath, request.NamedAfter ?? input.Path, request.Suffix, format.Extension);
        progress ??= job.Progress;
        progress.Report(5);
        var started = Stopwatch.GetTimestamp();
        var (width, height, frames) = await NativeWork.RunAsync(() => Render(input, request, format, output, progress, cancellationToken), cancellationToken);
        progress.Report(95);
        var bytes = output.Commit();
        job.Logger.LogDebug(
            "Image: {Input} ({InputFormat}) to {Width}x{Height} {Format}, {Frames} frame(s), {Bytes} bytes in {ElapsedMs:0} ms",
            input.Path, inputFormat.Name, width, height, format.Name, frames, bytes, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return new RenderResult(output.FinalPath, width, height, format, bytes, frames);
    }

    private (int Width, int Height, int Frames) Render(InputFile input, RenderRequest request, ImageFormat format, OutputFile output, IProgress<int> progress, CancellationToken cancellationToken)
    {
        var guard = new OperationGuard(settings.TimeLimit, cancellationToken);
        ResizePlan? plan = null;
        using var loaded = loader.Load(input, guard, firstFrameOnly: !format.HasFrames, request.Resize is null ? null : (w, h) =>
        {
            plan = ResizePlan.For(w, h, request.Resize.Width, request.Resize.Height, request.Resize.Fit, request.Resize.Upscale);
            return (plan.ScaledWidth, plan.ScaledHeight);
        });
        progress.Report(DecodedPercent);
        try
        {
            try
            {
                return Transform(loaded, request, plan, format, output, progress, guard);
            }
            catch (Exception ex) when (ex is MagickException or ObjectDisposedException)
            {
                // A stop asked for through a progress event surfaces as a failed or dropped image (Magick.NET
                // drops an image whose operation was cancelled): report the stop, not the symptom.
                guard.ThrowIfStopped();
                if (ex is MagickException magick)
                {
                    throw ImageFailures.Encoding(magick, format.Coder, settings);
                }

                throw;
            }
        }
        catch (TimeoutException ex)
        {
            throw ImageFailures.TimedOut(ex, input);
        }
    }

    private (int Width, int Height, int Frames) Transform(LoadedImage loaded, RenderRequest request, ResizePlan? plan, ImageFormat format, OutputFile output, IProgress<int> progress, OperationGuard guard)
    {
        var images = loaded.Images;
        var keepFrames = format.HasFrames && images.Count > 1;
        var isAnimation = loaded.Format == ImageFormat.Gif || loaded.Format == ImageFormat.WebP;
        if (keepFrames && isAnimation && (request.Resize is not null || format == ImageFormat.WebP))
        {
            // Animation frames may be partial rectangles drawn over the previous ones: make every frame
            // a full picture before resizing it, or before the WebP encoder (which needs equal sizes).
            images.Coalesce();
            guard.Watch(images);
            guard.ThrowIfStopped();
        }

        if (request.Resize is not null)
        {
            plan ??= ResizePlan.For(loaded.Width, loaded.Height, request.Resize.Width, request.Resize.Height, request.Resize.Fit, request.Resize.Upscale);
            loader.CheckResultSize(plan.ScaledWidth, plan.ScaledHeight);
            if (keepFrames)
            {
                Resampler.Apply(images, plan, guard);
            }
            else
            {
                Resampler.Apply(images[0], plan, guard);
            }
        }

        if (request.StripMetadata)
        {
            foreach (var image in images)
            {
                image.Strip();
            }
        }

        progress.Report(TransformedPercent);
        var frames = ImageEncoder.Write(images, format, request.Quality, loaded.Depth, output);
        guard.ThrowIfStopped();
        return ((int)images[0].Width, (int)images[0].Height, frames);
    }
}
