using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Native;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>Turns ImageMagick failures into the job outcomes a producer can act on.</summary>
internal static class ImageFailures
{
    /// <summary>A failure while reading the input: the input is at fault, except when the machine ran short of cache space.</summary>
    public static Exception Decoding(MagickException ex, InputFile input, string coder)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (IsCacheExhausted(ex))
        {
            return new RetryableJobException($"{input} could not be decoded right now: {ex.Reason}. ImageMagick ran out of pixel-cache space (IMAGE_MAX_MEMORY_MB, IMAGE_MAX_MAP_MB, IMAGE_MAX_DISK_MB); the job will be retried.", ex);
        }

        var hint = ex.IsResourceLimit
            ? " It exceeds ImageMagick's resource limits (IMAGE_MAX_* settings, capped by the system policy.xml); shrink it first or raise the limits."
            : ex.IsCorruptInput ? " The file is damaged or truncated, or not really " + coder + "; re-export or re-upload it." : string.Empty;
        return new PermanentJobException($"{input} could not be decoded as {coder}: {ex.Reason}.{hint}", ex);
    }

    /// <summary>A failure while transforming or encoding: the request is at fault unless the cache ran out.</summary>
    public static Exception Encoding(MagickException ex, string formatName)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (IsCacheExhausted(ex))
        {
            return new RetryableJobException($"Writing {formatName} failed for lack of pixel-cache space: {ex.Reason}; the job will be retried.", ex);
        }

        return new PermanentJobException($"{ex.Operation} as {formatName} failed: {ex.Reason}. Choose another format or size.", ex);
    }

    /// <summary>The per-image time limit passed.</summary>
    public static PermanentJobException TimedOut(TimeoutException ex, InputFile input) =>
        new($"{input} took too long: {ex.Message} Raise IMAGE_TIME_LIMIT or give a smaller image.", ex);

    // Only the pixel cache running dry is passing (other jobs hold it); coders also say "memory allocation
    // failed" when a list or size limit refuses the file, which no retry fixes.
    private static bool IsCacheExhausted(MagickException ex) =>
        ex.Reason.Contains("CacheResourcesExhausted", StringComparison.OrdinalIgnoreCase)
        || ex.Reason.Contains("cache resources exhausted", StringComparison.OrdinalIgnoreCase);
}
