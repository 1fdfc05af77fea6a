using System.Collections.Concurrent;
using System.Diagnostics;

namespace MediaWorker.Ffmpeg.Processes;

/// <summary>
/// Starts child processes from one thread that lives as long as the worker. The parent-death
/// signal (<c>setpriv --pdeathsig KILL</c>) fires when the <em>thread</em> that forked the child
/// exits, not the process; a thread-pool thread retires when idle, which would kill a healthy ffmpeg.
/// </summary>
internal static class ChildLauncher
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Pending = [];

    static ChildLauncher()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "mediaworker child launcher" };
        thread.Start();
    }

    /// <summary>Starts <paramref name="process"/> on the launcher thread; completes when it has started (or faults as <see cref="Process.Start()"/> would).</summary>
    public static Task StartAsync(Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Pending.Add((process, started));
        return started.Task;
    }

    private static void Run()
    {
        foreach (var (process, started) in Pending.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
