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

    /// <summary>The output folder of a job: <c>COMPUTE_STORAGE_DIR/jobs/&lt;job_id&gt;/output</c>.</summary>
    public string JobOutputDirectory(string jobId) => Path.Combine(ComputeStorageDirectory, "jobs", jobId, "output");

    /// <summary>The scratch folder of one attempt of a job.</summary>
    public string JobScratchDirectory(string jobId, int attempt) =>
        Path.Combine(ComputeStorageDirectory, "jobs", jobId, FormattableString.Invariant($"scratch-{attempt}"));
}
