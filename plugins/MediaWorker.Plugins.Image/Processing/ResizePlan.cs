namespace MediaWorker.Plugins.Image.Processing;

/// <summary>
/// The geometry of one resize: scale every frame to <see cref="ScaledWidth"/>x<see cref="ScaledHeight"/>,
/// then (for <see cref="FitMode.Cover"/>) crop the centre <see cref="Width"/>x<see cref="Height"/>.
/// </summary>
internal sealed record ResizePlan(int ScaledWidth, int ScaledHeight, int Width, int Height)
{
    /// <summary>Whether a crop follows the scale.</summary>
    public bool Crops => Width != ScaledWidth || Height != ScaledHeight;

    /// <summary>The crop's offset, centred.</summary>
    public (int X, int Y) CropOffset => ((ScaledWidth - Width) / 2, (ScaledHeight - Height) / 2);

    /// <summary>Whether anything changes for a source of this size.</summary>
    public bool IsIdentityFor(int width, int height) => !Crops && ScaledWidth == width && ScaledHeight == height;

    /// <summary>
    /// Plans a resize of a <paramref name="sourceWidth"/>x<paramref name="sourceHeight"/> image (as displayed).
    /// A missing dimension follows from the other through the aspect ratio. Without
    /// <paramref name="upscale"/> no dimension grows: contain and cover stop at scale 1 (cover then crops
    /// no more than the source has), fill clamps each side to the source's.
    /// </summary>
    public static ResizePlan For(int sourceWidth, int sourceHeight, int? width, int? height, FitMode fit, bool upscale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceHeight, 1);
        if (width is null && height is null)
        {
            throw new ArgumentException("Give a width, a height or both.", nameof(width));
        }

        if (width is null || height is null || fit == FitMode.Contain)
        {
            // With one side given every mode is "scale to that side".
            var scale = Math.Min(width is { } w ? (double)w / sourceWidth : double.MaxValue, height is { } h ? (double)h / sourceHeight : double.MaxValue);
            scale = upscale ? scale : Math.Min(scale, 1);
            var (cw, ch) = (Scaled(sourceWidth, scale), Scaled(sourceHeight, scale));
            return new ResizePlan(cw, ch, cw, ch);
        }

        if (fit == FitMode.Fill)
        {
            var (fw, fh) = upscale ? (width.Value, height.Value) : (Math.Min(width.Value, sourceWidth), Math.Min(height.Value, sourceHeight));
            return new ResizePlan(fw, fh, fw, fh);
        }

        var cover = Math.Max((double)width.Value / sourceWidth, (double)height.Value / sourceHeight);
        cover = upscale ? cover : Math.Min(cover, 1);
        var (sw, sh) = (Math.Max(Scaled(sourceWidth, cover), 1), Math.Max(Scaled(sourceHeight, cover), 1));
        return new ResizePlan(sw, sh, Math.Min(width.Value, sw), Math.Min(height.Value, sh));
    }

    private static int Scaled(int size, double scale) => Math.Max(1, (int)Math.Round(size * scale, MidpointRounding.AwayFromZero));
}
