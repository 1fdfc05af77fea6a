using MediaWorker.Plugins.Image.Formats;
using MediaWorker.Plugins.Image.Native;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>A decoded, upright image and what its header said about the original.</summary>
/// <param name="Wand">The decoded frames, EXIF orientation already applied; the caller disposes it.</param>
/// <param name="Format">The input's format.</param>
/// <param name="Width">The original's width as displayed (after orientation), before any shrink-on-load.</param>
/// <param name="Height">The original's height as displayed.</param>
/// <param name="Frames">How many frames the input holds.</param>
internal sealed record LoadedImage(ImageWand Wand, ImageFormat Format, int Width, int Height, int Frames) : IDisposable
{
    public void Dispose() => Wand.Dispose();
}
