using System.Diagnostics;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Formats;
using MediaWorker.Plugins.Image.Native;
using MediaWorker.Plugins.Image.Settings;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>
/// The image-to-image path shared by resize, conversion and thumbnails: decode upright (shrinking on
/// load when a resize allows it), resize, strip, encode to scratch, then move into place.
/// </summary>
internal sealed class ImageRenderer(ImageLoader loader, ImageSettings settings)
{
    /// <summary>Renders and moves the result into place.</summary>
    /// <param name="job">The job (files, progress).</param>
    /// <param name="input">The opened input.</param>
    /// <param name="request">What to make.</param>
    /// <param name="cancellationToken">Stops the native work between rows.</param>
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
        var (width, height, frames) = await NativeWork.RunAsync(() => Render(input, request, format, output, cancellationToken), cancellationToken);
        progress.Report(95);
        var bytes = output.Commit();
        job.Logger.LogDebug(
            "Image: {Input} ({InputFormat}) to {Width}x{Height} {Format}, {Frames} frame(s), {Bytes} bytes in {ElapsedMs:0} ms",
            input.Path, inputFormat.Name, width, height, format.Name, frames, bytes, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return new RenderResult(output.FinalPath, width, height, format, bytes, frames);
    }

    private (int Width, int Height, int Frames) Render(InputFile input, RenderRequest request, ImageFormat format, OutputFile output, CancellationToken cancellationToken)
    {
        using var guard = new OperationGuard(settings.TimeLimit, cancellationToken);
        return RenderGuarded(input, request, format, output, guard);
    }

    private (int, int, int) RenderGuarded(InputFile input, RenderRequest request, ImageFormat format, OutputFile output, OperationGuard guard)
    {
        ResizePlan? plan = null;
        using var loaded = loader.Load(input, guard, request.Resize is null ? null : (w, h) =>
        {
            plan = ResizePlan.For(w, h, request.Resize.Width, request.Resize.Height, request.Resize.Fit, request.Resize.Upscale);
            return (plan.ScaledWidth, plan.ScaledHeight);
        });
        try
        {
            var keepFrames = format.HasFrames && loaded.Frames > 1;
            var isAnimation = loaded.Format == ImageFormat.Gif || loaded.Format == ImageFormat.WebP;
            // Animation frames may be partial rectangles drawn over the previous ones: make every frame a
            // full picture before resizing it, or before handing it to the WebP encoder (which needs equal sizes).
            using var coalesced = keepFrames && isAnimation && (request.Resize is not null || format == ImageFormat.WebP) ? loaded.Wand.Coalesce() : null;
            var wand = coalesced ?? loaded.Wand;
            if (!keepFrames && wand.FrameCount > 1)
            {
                wand.SelectFrame(0);
            }

            if (request.Resize is not null)
            {
                plan ??= ResizePlan.For(loaded.Width, loaded.Height, request.Resize.Width, request.Resize.Height, request.Resize.Fit, request.Resize.Upscale);
                loader.CheckResultSize(plan.ScaledWidth, plan.ScaledHeight);
                if (keepFrames)
                {
                    Resampler.Apply(wand, plan);
                }
                else
                {
                    Resampler.ApplyToCurrent(wand, plan);
                }
            }

            if (request.StripMetadata)
            {
                wand.ForEachFrame(frame => frame.Strip());
            }

            var frames = ImageEncoder.Write(wand, format, request.Quality, output);
            wand.SelectFrame(0);
            return (wand.Width, wand.Height, frames);
        }
        catch (MagickException ex)
        {
            throw ImageFailures.Encoding(ex, format.Coder);
        }
        catch (TimeoutException ex)
        {
            throw ImageFailures.TimedOut(ex, input);
        }
    }
}
