using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace MediaWorker.Ffmpeg.Processes;

/// <summary>
/// Runs a child process to completion: argument list, standard input closed, standard output and
/// standard error drained concurrently, a bounded tail of standard error kept, an optional time
/// limit, and cancellation that kills the process and everything it started, then waits for it.
/// </summary>
/// <remarks>
/// <para>The child is started in a session and process group of its own (through <c>setsid</c>,
/// which replaces itself with the program, so the process id is the group id). Killing therefore
/// reaches any process the child started, even one that was re-parented; <see cref="Process.Kill(bool)"/>
/// on the tree is a second net for a system without <c>setsid</c>. Being in its own session also
/// keeps a terminal's Ctrl-C away from the child: the daemon decides when it stops.</para>
/// <para>A worker killed outright (SIGKILL) must not leave its children running: each child is
/// started through <c>setpriv --pdeathsig KILL</c> (from one long-lived thread, see
/// <see cref="ChildLauncher"/>), so the kernel kills it with the worker, and its group is written
/// to <see cref="ChildProcessRecords"/> until it is reaped, so the next worker kills whatever the
/// signal missed (grandchildren, a child started in the instant before the worker died).</para>
/// <para>Thread-safe: every call runs its own process.</para>
/// </remarks>
public static class ProcessRunner
{
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(10);
    private static readonly Lazy<string?> SetSid = new(() => ExecutableLocator.TryResolve("setsid"));
    private static readonly Lazy<string?> SetPriv = new(() => ExecutableLocator.TryResolve("setpriv"));

    /// <summary>Runs the process and returns how it ended; a non-zero exit code is returned, not thrown.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="cancellationToken">Kills the process (and its group) when it fires.</param>
    /// <exception cref="FileNotFoundException">The executable does not exist.</exception>
    /// <exception cref="ProcessTimeoutException">The process ran longer than <see cref="ProcessRequest.Timeout"/>; it was killed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the process was killed and has exited.</exception>
    public static async Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var executable = ExecutableLocator.Resolve(request.FileName);
        using var process = new Process { StartInfo = CreateStartInfo(request, executable) };
        ChildProcessRecords.KillOrphansOfDeadWorkers();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await ChildLauncher.StartAsync(process);
        }
        catch (Win32Exception ex)
        {
            throw new FileNotFoundException($"The program '{executable}' could not be started: {ex.Message}", executable, ex);
        }

        var processId = process.Id;
        var record = SetSid.Value is null ? null : ChildProcessRecords.Add(processId);
        try
        {
            return await RunStartedAsync(process, request, executable, stopwatch, cancellationToken);
        }
        finally
        {
            ChildProcessRecords.Remove(record);
        }
    }

    private static async Task<ProcessResult> RunStartedAsync(Process process, ProcessRequest request, string executable, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        var processId = process.Id;
        process.StandardInput.Close();
        var tail = new BoundedLineTail(request.StandardErrorTailLines);
        using var timeout = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        if (request.Timeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        var stderr = DrainLinesAsync(process.StandardError.BaseStream, line =>
        {
            if (request.KeepStandardErrorLine?.Invoke(line) ?? true)
            {
                tail.Add(line);
            }

            request.StandardErrorLine?.Invoke(line);
        });
        var stdout = ConsumeStandardOutputAsync(process, request.StandardOutput, linked.Token);
        var interrupted = 0;
        using var interruptGrace = new CancellationTokenSource();
        using var killAfterGrace = interruptGrace.Token.Register(() => Kill(process));
        using var interrupt = request.Interrupt.Register(() =>
        {
            Interlocked.Exchange(ref interrupted, 1);
            Interrupt(process);
            interruptGrace.CancelAfter(request.InterruptGrace);
        });
        try
        {
            await process.WaitForExitAsync(linked.Token);

            // The pipes close when the last writer exits; normally that is the child itself.
            await Task.WhenAll(stdout, stderr).WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            Kill(process);
            await ReapAsync(process, stdout, stderr);
            cancellationToken.ThrowIfCancellationRequested();
            throw new ProcessTimeoutException(Path.GetFileName(executable), request.Timeout ?? TimeSpan.Zero, tail.ToList());
        }
        catch
        {
            // The standard output consumer failed: it already killed the process; wait until it is gone.
            Kill(process);
            await ReapAsync(process, stdout, stderr);
            throw;
        }

        return new ProcessResult(process.ExitCode, tail.ToList(), stopwatch.Elapsed, processId) { Interrupted = Volatile.Read(ref interrupted) == 1 };
    }

    private static ProcessStartInfo CreateStartInfo(ProcessRequest request, string executable)
    {
        var setsid = SetSid.Value;
        var info = new ProcessStartInfo(setsid ?? executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (setsid is not null)
        {
            // --wait only matters if setsid has to fork (when it is already a group leader, which
            // a child of .NET never is); then it waits and passes the exit code through.
            info.ArgumentList.Add("--wait");
            if (SetPriv.Value is { } setpriv)
            {
                // setpriv sets the parent-death signal and execs the program: same process, same group.
                info.ArgumentList.Add(setpriv);
                info.ArgumentList.Add("--pdeathsig");
                info.ArgumentList.Add("KILL");
            }

            info.ArgumentList.Add(executable);
        }

        foreach (var argument in request.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (request.WorkingDirectory is not null)
        {
            info.WorkingDirectory = request.WorkingDirectory;
        }

        foreach (var (key, value) in request.Environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private static async Task ConsumeStandardOutputAsync(Process process, Func<Stream, CancellationToken, Task>? consumer, CancellationToken cancellationToken)
    {
        var stream = process.StandardOutput.BaseStream;
        if (consumer is not null)
        {
            try
            {
                await consumer(stream, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nobody reads standard output any more, so the child would block on a full pipe.
                Kill(process);
                throw;
            }
        }

        await DrainAsync(stream);
    }

    private static async Task DrainAsync(Stream stream)
    {
        var buffer = new byte[16 * 1024];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }
    }

    private static async Task DrainLinesAsync(Stream stream, Action<string> onLine)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync() is { } line)
        {
            onLine(line);
        }
    }

    /// <summary>SIGINT to the child itself (not its group): a graceful stop request.</summary>
    private static void Interrupt(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                _ = Native.LibC.Kill(process.Id, Native.LibC.SigInt);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    /// <summary>Kills the child's process group and the tree below it; harmless when they are already gone.</summary>
    internal static void Kill(Process process)
    {
        int pid;
        try
        {
            if (process.HasExited)
            {
                return;
            }

            pid = process.Id;
        }
        catch (InvalidOperationException)
        {
            return;
        }

        if (SetSid.Value is not null)
        {
            _ = Native.LibC.Kill(-pid, Native.LibC.SigKill);
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
        catch (Win32Exception)
        {
            // Exited meanwhile, or a member of the tree is not ours to kill.
        }
    }

    private static async Task ReapAsync(Process process, Task stdout, Task stderr)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(ReapTimeout);
            await Task.WhenAll(stdout, stderr).WaitAsync(ReapTimeout);
        }
        catch (Exception)
        {
            // The outcome is already decided (cancelled, timed out or failed); a pipe that errors
            // while the process dies must not replace it.
        }
    }
}
