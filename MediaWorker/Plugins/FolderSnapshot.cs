using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins;

/// <summary>
/// The files of a plugin folder at one moment (relative path, size, last write time), to tell when a
/// copy into the plugin directory has finished and whether a folder changed since it was last loaded.
/// </summary>
internal sealed class FolderSnapshot
{
    private readonly FileStamp[] _files;

    private FolderSnapshot(FileStamp[] files, bool isComplete)
    {
        _files = files;
        IsComplete = isComplete;
    }

    /// <summary>Whether the manifest and the entry assembly it names are both present.</summary>
    public bool IsComplete { get; }

    /// <summary>Takes a snapshot, or returns <see langword="null"/> when the folder no longer exists.</summary>
    public static FolderSnapshot? Take(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        try
        {
            var files = new DirectoryInfo(folder)
                .EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
                .Select(f => new FileStamp(Path.GetRelativePath(folder, f.FullName), f.Length, f.LastWriteTimeUtc.Ticks))
                .OrderBy(f => f.Path, StringComparer.Ordinal)
                .ToArray();
            var entry = PluginManifest.PeekEntryAssembly(folder);
            var complete = files.Any(f => f.Path == PluginContract.ManifestFileName) && entry is not null && files.Any(f => f.Path == entry);
            return new FolderSnapshot(files, complete);
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException)
        {
            // A file vanished while listing: the folder is still changing, which the next snapshot shows.
            return new FolderSnapshot([new FileStamp("<changing>", -1, DateTime.UtcNow.Ticks)], isComplete: false);
        }
    }

    public bool Matches(FolderSnapshot other) => _files.AsSpan().SequenceEqual(other._files);

    private readonly record struct FileStamp(string Path, long Size, long ModifiedTicks);
}
