namespace MediaWorker.Plugins.Image.Native;

/// <summary>ImageMagick's process-wide resource limits, in the units <c>MagickSetResourceLimit</c> takes.</summary>
/// <param name="MemoryBytes">Pixel-cache heap memory; beyond it the cache is memory-mapped.</param>
/// <param name="MapBytes">Memory-mapped pixel cache; beyond it the cache goes to disk.</param>
/// <param name="DiskBytes">Pixel cache on disk; beyond it the operation fails.</param>
/// <param name="MaxWidth">The widest image ImageMagick will hold.</param>
/// <param name="MaxHeight">The tallest image ImageMagick will hold.</param>
/// <param name="AreaPixels">Width times height kept in memory before the cache moves to disk.</param>
/// <param name="MaxFrames">The most images in one list (frames of an animation, pages of a TIFF).</param>
/// <param name="Threads">Threads ImageMagick's OpenMP loops use.</param>
internal sealed record MagickResourceLimits(
    ulong MemoryBytes, ulong MapBytes, ulong DiskBytes, ulong MaxWidth, ulong MaxHeight, ulong AreaPixels, ulong MaxFrames, ulong Threads);
