using ImageMagick;
using MediaWorker.Plugins.Image.Formats;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>A decoded, upright image and what its header said about the original.</summary>
/// <param name="Images">The decoded frames, EXIF orientation already applied; the caller disposes them.</param>
/// <param name="Format">The input's format.</param>
/// <param name="Width">The original's width as displayed (after orientation), before any shrink-on-load.</param>
/// <param name="Height">The original's height as displayed.</param>
/// <param name="Frames">How many frames the input holds (the decode may have kept only the first).</param>
/// <param name="Depth">Bits per sample of the input (8 or 16; Q8 holds 8 of them in memory).</param>
internal sealed record LoadedImage(MagickImageCollection Images, ImageFormat Format, int Width, int Height, int Frames, int Depth) : IDisposable
{
    public void Dispose() => Images.Dispose();
}

/// <summary>What the headers of an image say, without decoding pixels.</summary>
/// <param name="Format">The input's format.</param>
/// <param name="Width">Width as displayed (after orientation).</param>
/// <param name="Height">Height as displayed.</param>
/// <param name="Frames">Frames or pages.</param>
/// <param name="Orientation">The EXIF orientation, 1-8, or 0 when the file has none.</param>
/// <param name="Properties">ImageMagick's <c>exif:*</c> properties of the first frame, when asked for.</param>
internal sealed record ImageHeader(ImageFormat Format, int Width, int Height, int Frames, int Orientation, IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>Whether the orientation turns the picture by 90 degrees (stored width is displayed height).</summary>
    public bool IsTurned => Orientation >= 5;
}
