namespace MediaWorker.Plugins.Image.Magick;

/// <summary>The resource limits handed to ImageMagick (process-wide).</summary>
/// <param name="MemoryBytes">Pixel cache on the heap.</param>
/// <param name="MapBytes">Pixel cache in memory-mapped files; set in the policy, so it applies from the first start of the process.</param>
/// <param name="DiskBytes">Pixel cache on disk.</param>
/// <param name="MaxWidth">Widest image, in pixels.</param>
/// <param name="MaxHeight">Tallest image, in pixels.</param>
/// <param name="AreaPixels">Most pixels in one image.</param>
/// <param name="MaxFrames">Longest image list (frames, pages).</param>
/// <param name="Threads">Threads per operation.</param>
/// <param name="TimeSeconds">Seconds an image may live (ImageMagick counts from the image's creation); 0 for none.</param>
internal sealed record MagickLimits(
    ulong MemoryBytes, ulong MapBytes, ulong DiskBytes, ulong MaxWidth, ulong MaxHeight, ulong AreaPixels, ulong MaxFrames, ulong Threads, ulong TimeSeconds);
