namespace MediaWorker.Plugins.Abstractions;

/// <summary>
/// The job's file sandbox. Relative paths resolve under the compute storage folder; absolute paths
/// are accepted only under the allowed media roots. <c>..</c> escapes, symbolic links that lead out
/// of the roots, and devices are refused with a <see cref="PermanentJobException"/> naming the rule.
/// </summary>
public interface IJobFiles
{
    /// <summary>
    /// Resolves a path the job reads. The file must exist, be a regular file and be readable.
    /// </summary>
    /// <param name="path">The path from the job's parameters.</param>
    /// <param name="parameterName">The parameter's name, used in error messages.</param>
    /// <returns>The absolute, link-free path.</returns>
    /// <exception cref="PermanentJobException">The path is outside the sandbox, missing or not a regular file.</exception>
    string ResolveInput(string path, string parameterName = "input_path");

    /// <summary>
    /// Why the job may not read a file that one of its inputs names (a playlist's segment, a concat
    /// list's entry), or <see langword="null"/> when it may: the rules of <see cref="ResolveInput"/>.
    /// Pass it to the ffmpeg library's <c>LocalInputGuard</c>, which asks it for every file a
    /// playlist or list names before ffmpeg may open the input.
    /// </summary>
    /// <param name="path">The absolute path the input names.</param>
    /// <returns>The rule the file breaks, or <see langword="null"/>.</returns>
    string? CheckReference(string path)
    {
        try
        {
            ResolveInput(path, "that file");
            return null;
        }
        catch (PermanentJobException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>
    /// Resolves a path the job writes. It must lie inside the sandbox; its folder is created.
    /// </summary>
    /// <param name="path">The path from the job's parameters.</param>
    /// <param name="parameterName">The parameter's name, used in error messages.</param>
    /// <returns>The absolute path.</returns>
    /// <exception cref="PermanentJobException">The path is outside the sandbox.</exception>
    string ResolveOutput(string path, string parameterName = "output_path");

    /// <summary>
    /// The job's own output folder (<c>COMPUTE_STORAGE_DIR/jobs/&lt;job_id&gt;/output/</c>), created on first use.
    /// </summary>
    string OutputDirectory { get; }

    /// <summary>
    /// A scratch folder for this attempt, created on first use and deleted when the attempt ends.
    /// Write partial files here and move them into place when they are complete.
    /// </summary>
    string ScratchDirectory { get; }
}
