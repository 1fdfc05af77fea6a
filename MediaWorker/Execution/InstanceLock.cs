namespace MediaWorker.Execution;

/// <summary>
/// Refuses a second process with the same worker id on the same database. The lock file sits
/// beside the database (<c>.media_store.db-worker-&lt;id&gt;.lock</c>): whoever may run a worker on that
/// database can write there, since SQLite needs the folder for its <c>-wal</c> and <c>-shm</c>. A
/// machine-wide folder in /tmp instead belonged to the first user who made it, and every other
/// user's worker failed to start. The name starts with a dot so <c>rm media_store.db*</c> leaves it. .NET implements
/// <see cref="FileShare.None"/> with an advisory flock on Unix, which the kernel releases when the
/// process dies, even by SIGKILL, so a crashed worker never leaves a stale lock behind.
/// </summary>
public sealed class InstanceLock : IDisposable
{
    private readonly FileStream _stream;

    private InstanceLock(FileStream stream) => _stream = stream;

    public static InstanceLock Acquire(string workerId, string databasePath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        Directory.CreateDirectory(directory);
        var path = PathFor(workerId, databasePath);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            stream.Write(pid);
            stream.Flush();
            return new InstanceLock(stream);
        }
        catch (IOException)
        {
            var holder = TryReadPid(path);
            throw new InvalidOperationException(
                $"Another process{(holder is null ? string.Empty : $" (pid {holder})")} is already running as worker '{workerId}' on this machine; " +
                "stop it first or give this one another WORKER_ID (--worker-id).");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InvalidOperationException($"Cannot create or open the lock file {path} of worker '{workerId}': {ex.Message} Give this user write access to the database's folder, or use another WORKER_ID.", ex);
        }
    }

    /// <summary>The lock file of <paramref name="workerId"/> on the database at <paramref name="databasePath"/>.</summary>
    public static string PathFor(string workerId, string databasePath)
    {
        var full = Path.GetFullPath(databasePath);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}-worker-{workerId}.lock");
    }

    public void Dispose() => _stream.Dispose();

    private static string? TryReadPid(string path)
    {
        try
        {
            using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var text = new StreamReader(reader);
            var pid = text.ReadToEnd().Trim();
            return pid.Length > 0 ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
