namespace MediaWorker.Plugins.Image.Native;

/// <summary>
/// Starts ImageMagick once per process and applies its resource limits.
/// </summary>
/// <remarks>
/// ImageMagick's <c>TimeResource</c> is deliberately never set: in IM6 it is measured from the first
/// pixel-cache access of the process, not per image, and exceeding it raises a fatal exception that
/// exits the process. The per-image time limit is enforced through the progress monitor instead
/// (<see cref="OperationGuard"/>). Limits in the system policy.xml stay a ceiling: ImageMagick takes
/// the smaller of the policy's value and ours.
/// </remarks>
internal static class MagickRuntime
{
    private static readonly Lazy<bool> Started = new(() =>
    {
        MagickWandApi.MagickWandGenesis();
        return true;
    });

    private static readonly Lock LimitsLock = new();

    /// <summary>Calls <c>MagickWandGenesis</c> on first use; later calls do nothing.</summary>
    public static void EnsureStarted() => _ = Started.Value;

    /// <summary>Applies the limits (process-wide; the last call wins).</summary>
    public static void ApplyLimits(MagickResourceLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        EnsureStarted();
        lock (LimitsLock)
        {
            Set(ResourceType.MemoryResource, limits.MemoryBytes);
            Set(ResourceType.MapResource, limits.MapBytes);
            Set(ResourceType.DiskResource, limits.DiskBytes);
            Set(ResourceType.WidthResource, limits.MaxWidth);
            Set(ResourceType.HeightResource, limits.MaxHeight);
            Set(ResourceType.AreaResource, limits.AreaPixels);
            Set(ResourceType.ListLengthResource, limits.MaxFrames);
            Set(ResourceType.ThreadResource, limits.Threads);
        }
    }

    /// <summary>The limit in force (the smaller of ours and policy.xml's).</summary>
    public static ulong GetLimit(ResourceType type)
    {
        EnsureStarted();
        return MagickWandApi.MagickGetResourceLimit(type);
    }

    /// <summary>Whether this ImageMagick has a coder of that name (e.g. "HEIC"), whatever it can do with it.</summary>
    public static bool HasCoder(string coder)
    {
        EnsureStarted();
        var formats = MagickStrings.TakeOwnedArray(MagickWandApi.MagickQueryFormats(coder, out var count), count);
        return formats.Any(f => string.Equals(f, coder, StringComparison.OrdinalIgnoreCase));
    }

    private static void Set(ResourceType type, ulong value)
    {
        if (!MagickWandApi.MagickSetResourceLimit(type, value))
        {
            throw new MagickException("Setting ImageMagick's resource limits", ExceptionType.OptionError, $"{type} = {value} was refused");
        }
    }
}
