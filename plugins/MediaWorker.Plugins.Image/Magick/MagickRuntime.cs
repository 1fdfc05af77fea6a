using ImageMagick;
using ImageMagick.Configuration;

namespace MediaWorker.Plugins.Image.Magick;

/// <summary>
/// Starts ImageMagick once per process with the plugin's own policy, then applies the resource limits.
/// </summary>
/// <remarks>
/// <para>The configuration (policy.xml and ImageMagick's other files) is written into a new directory
/// on every start: Magick.NET never overwrites an existing file there, so a stale or planted policy in
/// a reused directory would win. Directories of processes that are gone are removed at the next start.</para>
/// <para>Nothing else in the plugin may touch a Magick.NET type before <see cref="Start"/>: the first
/// native call starts ImageMagick, which then reads whatever configuration is in place.</para>
/// <para>The start ends with a self-test (an SVG must be refused by the policy, a blank canvas allowed);
/// if it fails, the plugin fails to load rather than run with a policy that is not in force.</para>
/// </remarks>
internal static class MagickRuntime
{
    /// <summary>What ImageMagick reports (and takes) for "no limit".</summary>
    public const ulong Unlimited = long.MaxValue;

    private static readonly Lock StartLock = new();
    private static string? _configurationDirectory;

    /// <summary>The directory ImageMagick's configuration was written to, once started.</summary>
    public static string? ConfigurationDirectory => _configurationDirectory;

    /// <summary>Starts ImageMagick with the policy (first call only), then applies <paramref name="limits"/> (every call; process-wide).</summary>
    public static void Start(MagickLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        lock (StartLock)
        {
            if (_configurationDirectory is null)
            {
                _configurationDirectory = Initialize(limits.MapBytes);
                VerifyPolicy();
            }

            ResourceLimits.Memory = limits.MemoryBytes;
            ResourceLimits.Disk = limits.DiskBytes;
            ResourceLimits.Width = limits.MaxWidth;
            ResourceLimits.Height = limits.MaxHeight;
            ResourceLimits.Area = limits.AreaPixels;
            ResourceLimits.ListLength = limits.MaxFrames;
            ResourceLimits.Thread = limits.Threads;
            ResourceLimits.Time = limits.TimeSeconds == 0 ? Unlimited : limits.TimeSeconds;
        }
    }

    private static string Initialize(ulong mapBytes)
    {
        var parent = Path.Combine(Path.GetTempPath(), $"mediaworker-magick-{Environment.UserName}");
        Directory.CreateDirectory(parent);
        RemoveDirectoriesOfEndedProcesses(parent);
        var directory = Path.Combine(parent, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        // Owner-only: no other user may read, or swap, the policy ImageMagick is about to load.
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var files = ConfigurationFiles.Default;
        files.Policy.Data = MagickPolicy.Xml((int)(mapBytes >> 20));
        // No delegate may run anyway (the policy denies them); an empty list makes that doubly true.
        files.Delegates.Data = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<delegatemap/>\n";
        MagickNET.Initialize(files, directory);
        MagickNET.Initialize();
        return directory;
    }

    private static void VerifyPolicy()
    {
        try
        {
            using var svg = new MagickImage("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>"u8.ToArray(), new MagickReadSettings { Format = MagickFormat.Svg });
        }
        catch (MagickPolicyErrorException)
        {
            using var canvas = new MagickImage("xc:white", 1, 1);
            return;
        }

        throw new InvalidOperationException(
            "ImageMagick did not apply the image plugin's security policy (an SVG was decoded); refusing to start. Check for a policy.xml in ~/.config/ImageMagick or MAGICK_CONFIGURE_PATH.");
    }

    private static void RemoveDirectoriesOfEndedProcesses(string parent)
    {
        foreach (var directory in Directory.EnumerateDirectories(parent))
        {
            var name = Path.GetFileName(directory);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(name.AsSpan(0, dash), out var pid) && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Another user's or a concurrent start's: leave it.
                }
            }
        }
    }
}
