namespace MediaWorker.Execution;

/// <summary>
/// Refuses a second process with the same worker id on this box. .NET implements
/// <see cref="FileShare.None"/> with an advisory flock on Unix, which the kernel releases when the
/// process dies, even by SIGKILL, so a crashed worker never leaves a stale lock behind.
/// </summary>
public sealed class InstanceLock : IDisposable
{
    private readonly FileStream _stream;

    private InstanceLock(FileStream stream) => _stream = stream;

    public static InstanceLock Acquire(string workerId)
    {
        var directory = Path.Combine(Path.GetTempPath(), "mediaworker-locks");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, workerId + ".lock");
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
