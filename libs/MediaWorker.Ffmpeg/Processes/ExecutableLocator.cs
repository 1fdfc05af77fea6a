namespace MediaWorker.Ffmpeg.Processes;

/// <summary>Finds an executable the way a shell would (a path, or a bare name on <c>PATH</c>), without running a shell.</summary>
public static class ExecutableLocator
{
    /// <summary>Returns the absolute path of <paramref name="name"/>, or <see langword="null"/> when there is none.</summary>
    /// <param name="name">A path containing '/', or a bare name searched on <c>PATH</c>.</param>
    public static string? TryResolve(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(name);
            return IsExecutableFile(full) ? full : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (IsExecutableFile(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    /// <summary>Returns the absolute path of <paramref name="name"/>.</summary>
    /// <param name="name">A path containing '/', or a bare name searched on <c>PATH</c>.</param>
    /// <param name="hint">Appended to the error message, e.g. how to install the program or which setting names it.</param>
    /// <exception cref="FileNotFoundException">No such executable exists.</exception>
    public static string Resolve(string name, string? hint = null) =>
        TryResolve(name) ?? throw new FileNotFoundException(
            (name.Contains('/', StringComparison.Ordinal)
                ? $"The program '{name}' does not exist or is not executable."
                : $"The program '{name}' was not found on PATH.") + (hint is null ? string.Empty : " " + hint),
            name);

    private static bool IsExecutableFile(string path)
    {
        try
        {
            return File.Exists(path)
                && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
