using System.Globalization;

namespace MediaWorker.Ffmpeg.Processes;

/// <summary>
/// A record of every child process group that is running, so the groups of a worker that died
/// (SIGKILL, power cut, OOM killer) can be killed by the next worker instead of running on as
/// orphans beside the job's next attempt.
/// </summary>
/// <remarks>
/// <para>One empty file per child, named <c>&lt;worker pid&gt;-&lt;worker start&gt;-&lt;group id&gt;-&lt;leader start&gt;.child</c>:
/// the start times make the names unambiguous although pids are reused. The folder is
/// <c>MEDIAWORKER_CHILD_RECORDS</c> if set, else <c>$XDG_RUNTIME_DIR/mediaworker/children</c>, else
/// <c>/tmp/mediaworker-&lt;user&gt;/children</c> (mode 0700): per user, not per database, because
/// "its worker is dead" is true or false for the whole machine.</para>
/// <para>Every copy of this library (each plugin loads its own) writes and sweeps the same folder.
/// A record whose worker is alive is never touched, so any worker may sweep at any time.</para>
/// </remarks>
public static class ChildProcessRecords
{
    /// <summary>The setting (environment variable) that moves the records folder.</summary>
    public const string FolderSetting = "MEDIAWORKER_CHILD_RECORDS";

    private const string Extension = ".child";

    private static readonly Lazy<string> Self = new(() =>
        string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{ProcessStat.StartTime(Environment.ProcessId) ?? 0}"));

    /// <summary>Where the records are kept.</summary>
    public static string Folder =>
        Environment.GetEnvironmentVariable(FolderSetting) is { Length: > 0 } configured ? configured
        : Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime ? Path.Combine(runtime, "mediaworker", "children")
        : Path.Combine(Path.GetTempPath(), "mediaworker-" + Environment.UserName, "children");

    /// <summary>
    /// Kills (SIGKILL) every recorded process group whose worker is no longer alive and removes its
    /// record; records of live workers are left alone. Called when a worker starts and before every
    /// child it starts, so a reclaimed job's next attempt never runs beside its predecessor's ffmpeg.
    /// </summary>
    /// <returns>How many orphaned groups were killed.</returns>
    public static int KillOrphansOfDeadWorkers()
    {
        string[] records;
        try
        {
            records = Directory.Exists(Folder) ? Directory.GetFiles(Folder, "*" + Extension) : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        var killed = 0;
        foreach (var record in records)
        {
            if (Parse(Path.GetFileNameWithoutExtension(record)) is not { } r || IsAlive(r.WorkerPid, r.WorkerStart))
            {
                continue;
            }

            // The leader may be gone while others of its group live on; its id cannot be reused
            // while the group exists, so the group is ours to kill unless the id belongs to a new process.
            var leaderStart = ProcessStat.StartTime(r.GroupId);
            if (leaderStart is null || leaderStart == r.LeaderStart)
            {
                if (Native.LibC.Kill(-r.GroupId, Native.LibC.SigKill) == 0)
                {
                    killed++;
                }
            }

            TryDelete(record);
        }

        return killed;
    }

    /// <summary>Records a child that leads its own process group; returns the record to pass to <see cref="Remove"/>, or null if none could be written.</summary>
    internal static string? Add(int groupId)
    {
        if (ProcessStat.StartTime(groupId) is not { } leaderStart)
        {
            return null; // Already gone.
        }

        try
        {
            var folder = Folder;
            if (!Directory.Exists(folder))
            {
                if (OperatingSystem.IsWindows())
                {
                    return null; // No process groups to record.
                }

                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var record = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{Self.Value}-{groupId}-{leaderStart}{Extension}"));
            File.WriteAllBytes(record, []);
            return record;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Without a record the child still dies with the worker (parent-death signal); only the sweep misses it.
            return null;
        }
    }

    /// <summary>Removes a record once its child has been reaped.</summary>
    internal static void Remove(string? record)
    {
        if (record is not null)
        {
            TryDelete(record);
        }
    }

    private static bool IsAlive(int pid, long start) => ProcessStat.StartTime(pid) == start;

    private static (int WorkerPid, long WorkerStart, int GroupId, long LeaderStart)? Parse(string name)
    {
        var parts = name.Split('-');
        return parts.Length == 4
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var workerPid)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var workerStart)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var groupId) && groupId > 1
            && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var leaderStart)
                ? (workerPid, workerStart, groupId, leaderStart)
                : null;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
