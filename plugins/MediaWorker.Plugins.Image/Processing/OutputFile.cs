using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>
/// An output written in the attempt's scratch folder and moved into place only when complete, so a
/// reader never sees half a file and a failed attempt leaves nothing behind.
/// </summary>
internal sealed class OutputFile
{
    private OutputFile(string scratchPath, string finalPath)
    {
        ScratchPath = scratchPath;
        FinalPath = finalPath;
    }

    /// <summary>Where the encoder writes.</summary>
    public string ScratchPath { get; }

    /// <summary>Where the file ends up.</summary>
    public string FinalPath { get; }

    /// <summary>
    /// Plans an output: <paramref name="requestedPath"/> when given (resolved in the sandbox), otherwise
    /// <c>&lt;job output folder&gt;/&lt;input name&gt;&lt;suffix&gt;.&lt;extension&gt;</c>.
    /// </summary>
    public static OutputFile Plan(IJobFiles files, string? requestedPath, string inputPath, string suffix, string extension)
    {
        ArgumentNullException.ThrowIfNull(files);
        var finalPath = requestedPath is null
            ? Path.Combine(files.OutputDirectory, $"{Path.GetFileNameWithoutExtension(inputPath)}{suffix}.{extension}")
            : files.ResolveOutput(requestedPath);
        var scratchPath = Path.Combine(files.ScratchDirectory, $"{Guid.NewGuid():N}.{extension}");
        return new OutputFile(scratchPath, finalPath);
    }

    /// <summary>
    /// Creates the scratch file for the encoder (it must not exist yet), open for reading as well:
    /// some encoders read back what they wrote (libtiff linking the pages of a multi-page TIFF).
    /// Disposing the stream flushes it and reports a failed write (a full disk).
    /// </summary>
    public FileStream CreateScratch() => new(ScratchPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);

    /// <summary>Moves the finished scratch file into place atomically, replacing an older file; returns its size.</summary>
    public long Commit()
    {
        // The scratch folder may sit on another file system than the destination: first move next to
        // the destination (a copy in that case), then rename within the folder, which is atomic.
        var staging = Path.Combine(Path.GetDirectoryName(FinalPath)!, $".{Path.GetFileName(FinalPath)}.{Guid.NewGuid():N}.partial");
        try
        {
            File.Move(ScratchPath, staging);
            File.Move(staging, FinalPath, overwrite: true);
        }
        catch
        {
            File.Delete(staging);
            throw;
        }

        return new FileInfo(FinalPath).Length;
    }
}
