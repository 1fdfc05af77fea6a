using System.Globalization;

namespace MediaWorker.Ffmpeg.Processes;

/// <summary>Reads a process's start time from <c>/proc/&lt;pid&gt;/stat</c>: with the pid, it names one process for good, since pids are reused.</summary>
internal static class ProcessStat
{
    /// <summary>The start time in clock ticks since boot, or <see langword="null"/> when the process is gone or a zombie.</summary>
    public static long? StartTime(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ..." where comm may hold spaces or ')': split after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 && fields[0] != "Z" && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : null;
    }
}
