using System.Globalization;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Magick;

namespace MediaWorker.Plugins.Image.Settings;

/// <summary>The image plugin's settings (IMAGE_*), validated at load: an invalid value stops the plugin with its name and what is allowed.</summary>
internal sealed record ImageSettings
{
    public int MaxWidth { get; init; } = 16000;
    public int MaxHeight { get; init; } = 16000;
    public double MaxAreaMegapixels { get; init; } = 100;
    public int MaxFrames { get; init; } = 1000;
    public int MaxMemoryMegabytes { get; init; } = 256;
    public int MaxMapMegabytes { get; init; } = 512;
    public int MaxDiskMegabytes { get; init; } = 1024;

    /// <summary>Per image operation; <see langword="null"/> for none.</summary>
    public TimeSpan? TimeLimit { get; init; } = TimeSpan.FromSeconds(120);

    public int Threads { get; init; } = 1;

    /// <summary>ImageMagick's list-length limit is this many times <see cref="MaxFrames"/>.</summary>
    public const int FrameBackstopFactor = 4;

    /// <summary>The most pixels (width x height) an input may declare.</summary>
    public long MaxAreaPixels => (long)(MaxAreaMegapixels * 1_000_000);

    public static ImageSettings Read(IPluginSettings settings, int workerConcurrency)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var defaults = new ImageSettings { Threads = Math.Max(1, Environment.ProcessorCount / Math.Max(1, workerConcurrency)) };
        var timeLimit = Int(settings, "IMAGE_TIME_LIMIT", (int)defaults.TimeLimit!.Value.TotalSeconds, 0, 86_400, "seconds (0 for no limit)");
        return defaults with
        {
            MaxWidth = Int(settings, "IMAGE_MAX_WIDTH", defaults.MaxWidth, 1, 1_000_000, "pixels"),
            MaxHeight = Int(settings, "IMAGE_MAX_HEIGHT", defaults.MaxHeight, 1, 1_000_000, "pixels"),
            MaxAreaMegapixels = Number(settings, "IMAGE_MAX_AREA_MP", defaults.MaxAreaMegapixels, 0.001, 100_000, "megapixels"),
            MaxFrames = Int(settings, "IMAGE_MAX_FRAMES", defaults.MaxFrames, 1, 100_000, "frames"),
            MaxMemoryMegabytes = Int(settings, "IMAGE_MAX_MEMORY_MB", defaults.MaxMemoryMegabytes, 16, 1_048_576, "MiB"),
            MaxMapMegabytes = Int(settings, "IMAGE_MAX_MAP_MB", defaults.MaxMapMegabytes, 16, 1_048_576, "MiB"),
            MaxDiskMegabytes = Int(settings, "IMAGE_MAX_DISK_MB", defaults.MaxDiskMegabytes, 0, 10_485_760, "MiB (0 keeps the pixel cache off disk)"),
            TimeLimit = timeLimit == 0 ? null : TimeSpan.FromSeconds(timeLimit),
            Threads = Int(settings, "IMAGE_THREADS", defaults.Threads, 1, 256, "threads"),
        };
    }

    /// <summary>The limits handed to ImageMagick itself (a second line of defence behind the plugin's own checks).</summary>
    public MagickLimits ToMagickLimits() => new(
        MemoryBytes: (ulong)MaxMemoryMegabytes << 20,
        MapBytes: (ulong)MaxMapMegabytes << 20,
        DiskBytes: (ulong)MaxDiskMegabytes << 20,
        MaxWidth: (ulong)MaxWidth,
        MaxHeight: (ulong)MaxHeight,
        AreaPixels: (ulong)MaxAreaPixels,
        // A backstop only: the plugin counts frames itself after a header read and names IMAGE_MAX_FRAMES;
        // ImageMagick's own refusal would only say "list length exceeds limit".
        MaxFrames: (ulong)MaxFrames * FrameBackstopFactor,
        Threads: (ulong)Threads,
        // ImageMagick's clock starts when an image is created and ticks in whole seconds: it bounds the
        // decode, which raises no progress events; the plugin's own check covers the operations after it.
        TimeSeconds: TimeLimit is { } limit ? (ulong)Math.Ceiling(limit.TotalSeconds) : 0);

    /// <summary>
    /// The settings with the dimension and frame limits lowered to what ImageMagick actually enforces
    /// (a user's own ~/.config/ImageMagick/policy.xml may cap them), so the plugin's own messages name
    /// the limit that really applies.
    /// </summary>
    public ImageSettings CappedBy(ulong width, ulong height, ulong frames) => this with
    {
        MaxWidth = (int)Math.Min((ulong)MaxWidth, width),
        MaxHeight = (int)Math.Min((ulong)MaxHeight, height),
        MaxFrames = (int)Math.Min((ulong)MaxFrames, frames / FrameBackstopFactor),
    };

    private static int Int(IPluginSettings settings, string name, int fallback, int min, int max, string unit)
    {
        var text = settings.GetValue(name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new InvalidOperationException($"{name}='{text}' is not valid: give a whole number of {unit} from {min} to {max} (default {fallback}).");
        }

        return value;
    }

    private static double Number(IPluginSettings settings, string name, double fallback, double min, double max, string unit)
    {
        var text = settings.GetValue(name);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value >= min && value <= max))
        {
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"{name}='{text}' is not valid: give a number of {unit} from {min} to {max} (default {fallback})."));
        }

        return value;
    }
}
