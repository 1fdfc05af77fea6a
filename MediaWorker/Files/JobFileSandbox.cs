using MediaWorker.Files.Native;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Files;

/// <summary>
/// Resolves a job's paths inside the sandbox. Every refusal is a <see cref="PermanentJobException"/>
/// whose message names the parameter, the path and the rule, so the producer can fix the request.
/// </summary>
public sealed class JobFileSandbox : IJobFiles
{
    private static readonly string[] SystemTrees = ["/dev", "/proc", "/sys"];
    private readonly SandboxPolicy _policy;
    private readonly string _jobId;
    private readonly int _attempt;
    private readonly IReadOnlyList<string> _roots;
    private string? _relativeBase;
    private bool _scratchHandedOut;

    public JobFileSandbox(SandboxPolicy policy, string jobId, int attempt)
    {
        _policy = policy;
        _jobId = jobId;
        _attempt = attempt;
        _roots = policy.CanonicalRoots;
    }

    public string OutputDirectory
    {
        get
        {
            var dir = _policy.JobOutputDirectory(_jobId);
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public string ScratchDirectory
    {
        get
        {
            var dir = _policy.JobScratchDirectory(_jobId, _attempt);
            Directory.CreateDirectory(dir);
            _scratchHandedOut = true;
            return dir;
        }
    }

    /// <summary>
    /// Deletes the attempt's scratch folder, and those of earlier attempts: an attempt that ended
    /// with its worker killed could not delete its own. Later attempts' folders are left alone.
    /// </summary>
    public void DeleteScratch()
    {
        if (_attempt == 1 && !_scratchHandedOut)
        {
            // A first attempt whose handler never asked for scratch space left no folder: skip the stat per job.
            return;
        }

        try
        {
            for (var attempt = _attempt; attempt >= 1; attempt--)
            {
                var dir = _policy.JobScratchDirectory(_jobId, attempt);
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover scratch folder costs disk, not correctness.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public string ResolveInput(string path, string parameterName = "input_path")
    {
        var candidate = Candidate(path, parameterName);
        var real = LibC.RealPath(candidate);
        if (real is null)
        {
            throw new PermanentJobException($"{parameterName} '{path}' does not exist (looked for '{candidate}').");
        }

        EnsureInside(real, path, parameterName);
        if (Directory.Exists(real))
        {
            throw new PermanentJobException($"{parameterName} '{path}' is a folder; give a file.");
        }

        try
        {
            using var stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PermanentJobException($"{parameterName} '{path}' cannot be read: {ex.Message}", ex);
        }

        return real;
    }

    public string ResolveOutput(string path, string parameterName = "output_path")
    {
        var candidate = Candidate(path, parameterName);
        // The file may not exist yet: canonicalise the deepest folder that does, then re-append the rest.
        var existing = candidate;
        var rest = new Stack<string>();
        string? real;
        while ((real = LibC.RealPath(existing)) is null)
        {
            rest.Push(Path.GetFileName(existing));
            existing = Path.GetDirectoryName(existing) ?? "/";
        }

        var resolved = rest.Aggregate(real, Path.Combine);
        EnsureInside(resolved, path, parameterName);
        if (Directory.Exists(resolved))
        {
            throw new PermanentJobException($"{parameterName} '{path}' is a folder; give a file name.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(resolved)!);
        return resolved;
    }

    private string Candidate(string path, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new PermanentJobException($"{parameterName} is empty; give a file path.");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new PermanentJobException($"{parameterName} contains a NUL character.");
        }

        if (path.Split('/').Any(segment => segment == ".."))
        {
            throw new PermanentJobException(
                $"{parameterName} '{path}' is refused: '..' segments are not allowed; give a path relative to COMPUTE_STORAGE_DIR or an absolute path under MEDIA_ALLOWED_ROOTS.");
        }

        return Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(Path.Combine(RelativeBase, path));
    }

    /// <summary>Looked up once per attempt, on the first relative path.</summary>
    private string RelativeBase => _relativeBase ??= _policy.RelativePathBase(_jobId);

    private void EnsureInside(string real, string original, string parameterName)
    {
        if (SystemTrees.Any(tree => IsUnder(real, tree)))
        {
            throw new PermanentJobException($"{parameterName} '{original}' is refused: devices and system files ('{real}') are never job inputs or outputs.");
        }

        if (!_roots.Any(root => IsUnder(real, root)))
        {
            var hint = real == Path.GetFullPath(original.StartsWith('/') ? original : Path.Combine(RelativeBase, original))
                ? string.Empty
                : $" (it resolves to '{real}' through a symbolic link)";
            throw new PermanentJobException(
                $"{parameterName} '{original}' is refused: it is outside the allowed roots{hint}; allowed are COMPUTE_STORAGE_DIR and MEDIA_ALLOWED_ROOTS ({string.Join(":", _roots)}).");
        }
    }

    private static bool IsUnder(string path, string root) =>
        path == root || path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);
}
