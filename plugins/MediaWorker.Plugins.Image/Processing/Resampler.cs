using MediaWorker.Plugins.Image.Native;

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
    public static void Apply(ImageWand wand, ResizePlan plan)
    {
        ArgumentNullException.ThrowIfNull(wand);
        wand.ForEachFrame(frame => ApplyToCurrent(frame, plan));
    }

    /// <summary>Resizes the current frame only.</summary>
    public static void ApplyToCurrent(ImageWand frame, ResizePlan plan)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.IsIdentityFor(frame.Width, frame.Height))
        {
            return;
        }

        if (frame.Width > plan.ScaledWidth * SampleFactor && frame.Height > plan.ScaledHeight * SampleFactor)
        {
            frame.Sample(plan.ScaledWidth * SampleFactor, plan.ScaledHeight * SampleFactor);
        }

        if (frame.Width != plan.ScaledWidth || frame.Height != plan.ScaledHeight)
        {
            frame.Resize(plan.ScaledWidth, plan.ScaledHeight, FilterType.LanczosFilter);
        }

        if (plan.Crops)
        {
            var (x, y) = plan.CropOffset;
            frame.Crop(plan.Width, plan.Height, x, y);
        }
        else
        {
            frame.ResetPage();
        }
    }
}
