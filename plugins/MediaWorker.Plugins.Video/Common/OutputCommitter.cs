namespace MediaWorker.Plugins.Video.Common;

/// <summary>
/// Moves finished files from the attempt's scratch folder to where the job promised them. ffmpeg
/// only ever writes into scratch, so a cancelled or failed job leaves nothing half-written at an
/// output path; a file appears at its final name complete or not at all (a rename within the
/// destination folder, even when the scratch folder is on another file system).
/// </summary>
/// <remarks>Committing is not cancellable: it is quick, and stopping half-way would leave a partial set.</remarks>
internal static class OutputCommitter
{
    /// <summary>Moves one file into place, replacing what was there.</summary>
    public static void CommitFile(string scratchFile, string destination)
    {
        var folder = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(folder);
        var staging = Path.Combine(folder, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.partial");
        try
        {
            // Across file systems this copies; the second move is then the atomic rename.
            File.Move(scratchFile, staging);
            File.Move(staging, destination, overwrite: true);
        }
        catch
        {
            File.Delete(staging);
            throw;
        }
    }

    /// <summary>
    /// Moves every file under <paramref name="scratchFolder"/> to the same relative path under
    /// <paramref name="destinationFolder"/>; the files named in <paramref name="last"/> (relative
    /// paths, e.g. a master playlist) move after all the others, so whoever sees them sees a complete set.
    /// </summary>
    /// <returns>The destination paths, in the order they were committed.</returns>
    public static IReadOnlyList<string> CommitFolder(string scratchFolder, string destinationFolder, params string[] last)
    {
        var files = Directory.EnumerateFiles(scratchFolder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(scratchFolder, f))
            .OrderBy(f => Array.IndexOf(last, f))
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToList();
        var committed = new List<string>(files.Count);
        foreach (var relative in files)
        {
            var destination = Path.Combine(destinationFolder, relative);
            CommitFile(Path.Combine(scratchFolder, relative), destination);
            committed.Add(destination);
        }

        return committed;
    }
}
