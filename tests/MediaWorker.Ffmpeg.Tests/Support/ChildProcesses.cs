using System.Globalization;

namespace MediaWorker.Ffmpeg.Tests.Support;

/// <summary>Reads /proc to see which processes this test process has started and which are still alive.</summary>
public static class ChildProcesses
{
    /// <summary>Live (not zombie) processes whose parent is this process, with their command names.</summary>
    public static IReadOnlyList<(int Pid, string Command)> OfCurrentProcess() => Of(Environment.ProcessId);

    /// <summary>Live (not zombie) processes whose parent is <paramref name="parentPid"/>, with their command names.</summary>
    public static IReadOnlyList<(int Pid, string Command)> Of(int parentPid) =>
        [.. All().Where(p => p.ParentPid == parentPid && p.State != 'Z').Select(p => (p.Pid, p.Command))];

    /// <summary>Live processes in process group <paramref name="groupId"/>.</summary>
    public static IReadOnlyList<int> InGroup(int groupId) =>
        [.. All().Where(p => p.GroupId == groupId && p.State != 'Z').Select(p => p.Pid)];

    /// <summary>The process group of <paramref name="pid"/>, or null when it is gone.</summary>
    public static int? GroupOf(int pid) => Read(pid)?.GroupId;

    /// <summary>True while <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool IsAlive(int pid) => Read(pid) is { State: not 'Z' };

    /// <summary>Live processes whose command name is <paramref name="command"/> and whose parent is this process.</summary>
    public static IReadOnlyList<int> Named(string command) =>
        [.. OfCurrentProcess().Where(p => p.Command == command).Select(p => p.Pid)];

    private static IEnumerable<Stat> All()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } stat)
            {
                yield return stat;
            }
        }
    }

    private static Stat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses.
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        var fields = text[(close + 2)..].Split(' ');
        return new Stat(pid, text[(open + 1)..close], fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture));
    }

    private sealed record Stat(int Pid, string Command, char State, int ParentPid, int GroupId);
}
