namespace MediaWorker.Files;

/// <summary>Which folders jobs may read and write (SPEC 6, Files).</summary>
/// <param name="ComputeStorageDirectory">Relative paths resolve here; always allowed.</param>
/// <param name="AllowedRoots">Absolute paths must lie under one of these (MEDIA_ALLOWED_ROOTS).</param>
public sealed record SandboxPolicy(string ComputeStorageDirectory, IReadOnlyList<string> AllowedRoots)
{
    private IReadOnlyList<string>? _canonicalRoots;

    /// <summary>
    /// The allowed roots plus the compute folder in canonical form (links resolved), computed once:
    /// a root that is itself a link still works, and jobs do not pay for the resolution.
    /// </summary>
    public IReadOnlyList<string> CanonicalRoots => _canonicalRoots ??= AllowedRoots.Append(ComputeStorageDirectory)
        .Select(r => Native.LibC.RealPath(r) ?? Path.GetFullPath(r))
        .Distinct(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// The file in a job's folder that makes the job's relative paths resolve against that folder
    /// instead of COMPUTE_STORAGE_DIR: the compute API's jobs name <c>input/&lt;upload&gt;</c> and
    /// <c>output/...</c> as the seed's did.
    /// </summary>
    public const string JobRelativePathsMarker = ".job-relative-paths";

    /// <summary>The folder of a job: <c>COMPUTE_STORAGE_DIR/jobs/&lt;job_id&gt;</c>.</summary>
    public static string JobFolder(string computeStorageDirectory, string jobId) => Path.Combine(computeStorageDirectory, "jobs", jobId);

    /// <summary>The output folder of a job: <c>COMPUTE_STORAGE_DIR/jobs/&lt;job_id&gt;/output</c>.</summary>
    public string JobOutputDirectory(string jobId) => Path.Combine(JobFolder(ComputeStorageDirectory, jobId), "output");

    /// <summary>
    /// Where the job's relative paths resolve: its own folder when it holds <see cref="JobRelativePathsMarker"/>,
    /// else COMPUTE_STORAGE_DIR. A job id that is not a plain name (a foreign producer's) never has a folder of its own.
    /// </summary>
    public string RelativePathBase(string jobId)
    {
        if (jobId.Length == 0 || jobId is "." or ".." || jobId.Contains('/', StringComparison.Ordinal) || jobId.Contains('\0', StringComparison.Ordinal))
        {
            return ComputeStorageDirectory;
        }

        var folder = JobFolder(ComputeStorageDirectory, jobId);
        return File.Exists(Path.Combine(folder, JobRelativePathsMarker)) ? folder : ComputeStorageDirectory;
    }

    /// <summary>The scratch folder of one attempt of a job.</summary>
    public string JobScratchDirectory(string jobId, int attempt) =>
        Path.Combine(ComputeStorageDirectory, "jobs", jobId, FormattableString.Invariant($"scratch-{attempt}"));
}
