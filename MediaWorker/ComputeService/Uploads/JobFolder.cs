using MediaWorker.Files;

namespace MediaWorker.ComputeService.Uploads;

/// <summary>
/// The folder of a job made through the compute API, <c>COMPUTE_STORAGE_DIR/jobs/&lt;job_id&gt;</c>,
/// laid out as the seed's: the upload in <c>input/</c>, results in <c>output/</c>. It carries the
/// sandbox's marker, so the job's relative paths resolve inside it.
/// </summary>
public sealed class JobFolder
{
    private const int CopyBufferBytes = 128 * 1024;

    private readonly string _computeStorageDirectory;
    private readonly string _jobId;

    private JobFolder(string computeStorageDirectory, string jobId)
    {
        _computeStorageDirectory = computeStorageDirectory;
        _jobId = jobId;
        Path = SandboxPolicy.JobFolder(computeStorageDirectory, jobId);
    }

    public string Path { get; }

    /// <summary>Creates the folder (and its marker) for a new job id.</summary>
    public static JobFolder Create(string computeStorageDirectory, string jobId)
    {
        var folder = new JobFolder(computeStorageDirectory, jobId);
        Directory.CreateDirectory(folder.Path);
        File.WriteAllText(System.IO.Path.Combine(folder.Path, SandboxPolicy.JobRelativePathsMarker), string.Empty);
        return folder;
    }

    /// <summary>
    /// Streams an upload to <c>input/&lt;name&gt;</c> (the name already sanitised), stopping at
    /// <paramref name="limitBytes"/>; returns the path relative to the job folder and the size.
    /// </summary>
    /// <exception cref="UploadTooLargeException">The upload passed the limit; the partial file is gone.</exception>
    public async Task<(string RelativePath, long Bytes)> SaveUploadAsync(Stream upload, string safeName, long limitBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var input = System.IO.Path.Combine(Path, "input");
        Directory.CreateDirectory(input);
        var target = System.IO.Path.Combine(input, safeName);
        long written = 0;
        await using (var file = OpenTarget(target))
        {
            var buffer = new byte[CopyBufferBytes];
            int read;
            while ((read = await upload.ReadAsync(buffer, cancellationToken)) > 0)
            {
                written += read;
                if (written > limitBytes)
                {
                    break;
                }

                try
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                catch (IOException ex)
                {
                    // Our disk, not the client's request: a 500 that says so, never a 422.
                    throw new InvalidOperationException($"Cannot store the upload in '{input}': {ex.Message}", ex);
                }
            }
        }

        if (written > limitBytes)
        {
            File.Delete(target);
            throw new UploadTooLargeException(limitBytes);
        }

        return ("input/" + safeName, written);
    }

    private static FileStream OpenTarget(string target)
    {
        try
        {
            return new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferBytes, FileOptions.Asynchronous);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"Cannot store the upload as '{target}': {ex.Message}", ex);
        }
    }

    /// <summary>Deletes the folder: the request that made it was refused.</summary>
    public void Delete() => JobFolders.Delete(_computeStorageDirectory, [_jobId]);
}
