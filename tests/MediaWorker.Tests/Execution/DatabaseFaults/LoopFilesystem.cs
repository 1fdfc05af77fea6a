using MediaWorker.Testing;

namespace MediaWorker.Tests.Execution.DatabaseFaults;

/// <summary>A small ext4 filesystem in a file, loop-mounted in a temp folder (needs root); unmounted on dispose.</summary>
internal sealed class LoopFilesystem : IDisposable
{
    private readonly TempDirectory _directory;

    private LoopFilesystem(TempDirectory directory) => _directory = directory;

    /// <summary>The mount point.</summary>
    public string Path => _directory.Combine("mnt");

    public static async Task<LoopFilesystem> MountAsync()
    {
        var directory = new TempDirectory("mw-loopfs");
        var filesystem = new LoopFilesystem(directory);
        var image = directory.Combine("fs.img");
        await using (var file = File.Create(image))
        {
            file.SetLength(32L * 1024 * 1024);
        }

        Directory.CreateDirectory(filesystem.Path);
        await ExternalTool.RunCheckedAsync("mkfs.ext4", "-q", "-F", image);
        await ExternalTool.RunCheckedAsync("mount", "-o", "loop,errors=remount-ro", image, filesystem.Path);
        return filesystem;
    }

    public void Dispose()
    {
        // Lazy: the worker under test may still be closing its files.
        ExternalTool.RunAsync("umount", ["-l", Path]).GetAwaiter().GetResult();
        _directory.Dispose();
    }
}
