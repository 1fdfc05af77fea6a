using ImageMagick;
using MediaWorker.Plugins.Image.Magick;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>
/// Applies a <see cref="ResizePlan"/> to every frame. Large reductions go thumbnail-style: a cheap
/// point sample to five times the target first, then the Lanczos filter over far fewer pixels (the
/// same idea as ImageMagick's own <c>-thumbnail</c>).
/// </summary>
internal static class Resampler
{
    private const int SampleFactor = 5;

    /// <summary>Resizes every frame.</summary>
    public static void Apply(MagickImageCollection images, ResizePlan plan, OperationGuard guard)
    {
        ArgumentNullException.ThrowIfNull(images);
        foreach (var image in images)
        {
            Apply(image, plan, guard);
        }
    }

    /// <summary>Resizes one frame.</summary>
    public static void Apply(IMagickImage<byte> image, ResizePlan plan, OperationGuard guard)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(guard);
        if (plan.IsIdentityFor((int)image.Width, (int)image.Height))
        {
            return;
        }

        if (image.Width > plan.ScaledWidth * SampleFactor && image.Height > plan.ScaledHeight * SampleFactor)
        {
            image.Sample(Exactly(plan.ScaledWidth * SampleFactor, plan.ScaledHeight * SampleFactor));
            guard.ThrowIfStopped();
        }

        if (image.Width != plan.ScaledWidth || image.Height != plan.ScaledHeight)
        {
            image.FilterType = FilterType.Lanczos;
            image.Resize(Exactly(plan.ScaledWidth, plan.ScaledHeight));
            guard.ThrowIfStopped();
        }

        if (plan.Crops)
        {
            var (x, y) = plan.CropOffset;
            image.Crop(new MagickGeometry(x, y, (uint)plan.Width, (uint)plan.Height));
        }

        // Forget the crop offset or an animation frame's position, so the frame is written at its own size.
        image.ResetPage();
    }

    private static MagickGeometry Exactly(int width, int height) => new((uint)width, (uint)height) { IgnoreAspectRatio = true };
}
