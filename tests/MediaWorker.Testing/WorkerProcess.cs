using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MediaWorker.Testing;

/// <summary>
/// A real <c>mediaworker</c> process from the published layout, with its output captured, that a
/// test can signal (SIGTERM, SIGINT) or kill with SIGKILL.
/// </summary>
public sealed partial class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _lineAdded = new(0);
    private bool _disposed;

    private WorkerProcess(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote, stdout and stderr interleaved, line by line.</summary>
    public IReadOnlyList<string> Output => _lines.ToArray();

    public string OutputText => string.Join('\n', _lines);

    /// <summary>Starts <c>mediaworker &lt;args&gt;</c> with a clean MediaWorker environment plus <paramref name="environment"/>.</summary>
    /// <param name="args">The command line after <c>mediaworker</c>.</param>
    /// <param name="environment">Settings on top of the cleaned environment.</param>
    /// <param name="workingDirectory">Default: the temp folder.</param>
    /// <param name="launcher">A command that execs the daemon, e.g. <c>setpriv --reuid 65534 ... --</c> to run it as another user.</param>
    public static WorkerProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null, IReadOnlyList<string>? launcher = null)
    {
        var info = new ProcessStartInfo(launcher is { Count: > 0 } ? launcher[0] : RepoPaths.Daemon)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var arg in launcher is { Count: > 0 } ? [.. launcher.Skip(1), RepoPaths.Daemon, .. args] : args)
        {
            info.ArgumentList.Add(arg);
        }

        // Settings from the developer's shell must not leak into a test's worker.
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (IsWorkerSetting(key))
            {
                info.Environment.Remove(key);
            }
        }

        info.Environment["BROADCAST_TYPE"] = "noop";
        info.Environment["WORKER_ENV_FILE"] = null;
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.Add(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Runs a short CLI command to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, TimeSpan? timeout = null)
    {
        using var worker = Start(args, environment);
        var exited = await worker.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
        if (!exited)
        {
            worker.Kill();
            throw new TimeoutException($"mediaworker {string.Join(' ', args)} did not finish:\n{worker.OutputText}");
        }

        return (worker.ExitCode, worker.OutputText);
    }

    /// <summary>Waits until a line containing <paramref name="text"/> appears; returns false on timeout.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return true;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || _process.HasExited && !_lines.Any(l => l.Contains(text, StringComparison.Ordinal)) && left < timeout - TimeSpan.FromSeconds(1))
            {
                return _lines.Any(l => l.Contains(text, StringComparison.Ordinal));
            }

            await _lineAdded.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Signal(int signal)
    {
        if (!_process.HasExited)
        {
            _ = SysKill(_process.Id, signal);
        }
    }

    public void Terminate() => Signal(15);

    public void Interrupt() => Signal(2);

    /// <summary>SIGKILL: no cleanup of any kind runs in the process.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            Signal(9);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Kill();
        _process.Dispose();
        _lineAdded.Dispose();
    }

    private static bool IsWorkerSetting(string key) =>
        key is "CL_SERVER_DIR" or "DATABASE_URL" or "COMPUTE_STORAGE_DIR" or "MEDIA_ALLOWED_ROOTS" or "PLUGIN_DIR" or "BROADCAST_TYPE"
            or "CAPABILITY_TOPIC_PREFIX" or "LOG_LEVEL" or "LOG_FORMAT" or "LOG_FILE"
        || key.StartsWith("WORKER_", StringComparison.Ordinal)
        || key.StartsWith("MQTT_", StringComparison.Ordinal)
        || key.StartsWith("JOB_", StringComparison.Ordinal)
        || key.StartsWith("DATABASE_", StringComparison.Ordinal);

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        _lineAdded.Release();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
