using ImageMagick;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Magick;
using MediaWorker.Plugins.Image.Settings;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>The one place that turns ImageMagick's failures into the job outcomes a producer can act on.</summary>
internal static class ImageFailures
{
    /// <summary>A failure while reading the input: the input is at fault, except when the machine ran short of cache space.</summary>
    /// <param name="ex">A <see cref="MagickException"/> or an <see cref="ImageReadWarningException"/>.</param>
    /// <param name="input">The input, for the message.</param>
    /// <param name="coder">The coder that read it.</param>
    /// <param name="settings">The limits in force, to name the one that refused.</param>
    public static Exception Decoding(Exception ex, InputFile input, string coder, ImageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(ex);
        ArgumentNullException.ThrowIfNull(settings);
        var reason = MagickMessages.Clean(ex.Message);
        if (ex is ImageReadWarningException)
        {
            return new PermanentJobException($"{input} could not be decoded as {coder}: {reason}. The file is damaged or truncated, or not really {coder}; re-export or re-upload it.", ex);
        }

        if (IsCacheExhausted(reason))
        {
            return new RetryableJobException($"{input} could not be decoded right now: {reason}. ImageMagick ran out of pixel-cache space (IMAGE_MAX_MEMORY_MB, IMAGE_MAX_MAP_MB, IMAGE_MAX_DISK_MB); the job will be retried.", ex);
        }

        var hint = ex switch
        {
            MagickResourceLimitErrorException when Has(reason, "time limit") =>
                $" It took longer than IMAGE_TIME_LIMIT={settings.TimeLimit?.TotalSeconds ?? 0:0} s allows; raise the limit or give a smaller image.",
            MagickResourceLimitErrorException when Has(reason, "list length") =>
                $" It has more frames than this worker accepts (IMAGE_MAX_FRAMES={settings.MaxFrames}).",
            MagickResourceLimitErrorException when Has(reason, "width or height") =>
                $" It is larger than this worker accepts (IMAGE_MAX_WIDTH={settings.MaxWidth}, IMAGE_MAX_HEIGHT={settings.MaxHeight}); it may be a decompression bomb.",
            MagickResourceLimitErrorException =>
                " It exceeds ImageMagick's resource limits (the IMAGE_MAX_* settings); shrink it first or raise the limits.",
            MagickPolicyErrorException => " The image plugin's security policy refused it.",
            MagickCorruptImageErrorException or MagickCoderErrorException or MagickMissingDelegateErrorException
                or MagickCorruptImageWarningException or MagickCoderWarningException or MagickImageErrorException =>
                $" The file is damaged or truncated, or not really {coder}; re-export or re-upload it.",
            _ => string.Empty,
        };
        return new PermanentJobException($"{input} could not be decoded as {coder}: {reason}.{hint}", ex);
    }

    /// <summary>A failure while transforming or encoding: the request is at fault unless the cache ran out.</summary>
    public static Exception Encoding(MagickException ex, string formatName, ImageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(ex);
        ArgumentNullException.ThrowIfNull(settings);
        var reason = MagickMessages.Clean(ex.Message);
        if (IsCacheExhausted(reason))
        {
            return new RetryableJobException($"Writing {formatName} failed for lack of pixel-cache space: {reason}; the job will be retried.", ex);
        }

        if (ex is MagickResourceLimitErrorException && Has(reason, "time limit"))
        {
            return new PermanentJobException(
                $"Writing {formatName} took longer than IMAGE_TIME_LIMIT={settings.TimeLimit?.TotalSeconds ?? 0:0} s allows: {reason}. Raise the limit or give a smaller image.", ex);
        }

        return new PermanentJobException($"Making the {formatName} image failed: {reason}. Choose another format or size.", ex);
    }

    /// <summary>The per-image time limit passed.</summary>
    public static PermanentJobException TimedOut(TimeoutException ex, InputFile input) =>
        new($"{input} took too long: {ex.Message} Raise IMAGE_TIME_LIMIT or give a smaller image.", ex);

    // Only the pixel cache running dry is passing (other jobs hold it); a list or size limit refusing
    // the file is not, and no retry fixes it.
    private static bool IsCacheExhausted(string reason) => Has(reason, "cache resources exhausted") || Has(reason, "CacheResourcesExhausted");

    private static bool Has(string reason, string fragment) => reason.Contains(fragment, StringComparison.OrdinalIgnoreCase);
}
