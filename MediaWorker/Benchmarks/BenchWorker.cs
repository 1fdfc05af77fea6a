using System.Diagnostics;
using System.Globalization;

namespace MediaWorker.Benchmarks;

/// <summary>
/// A worker process the benchmark starts from this same executable (<c>mediaworker run</c>), with
/// its output captured so busy warnings can be counted, and its CPU time and RSS read from /proc.
/// </summary>
public sealed class BenchWorker : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BenchWorker(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <summary>Bytes the worker allocated over its life, from its stop line (valid after <see cref="Stop"/>); -1 when missing.</summary>
    public long AllocatedBytes
    {
        get
        {
            var stopped = Lines.LastOrDefault(l => l.Contains(" bytes allocated;", StringComparison.Ordinal));
            if (stopped is null)
            {
                return -1;
            }

            var words = stopped[..stopped.IndexOf(" bytes allocated;", StringComparison.Ordinal)].Split(' ');
            return long.Parse(words[^1], CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The worker's own busy-error counter, from the line it logs when it stops (valid after <see cref="Stop"/>).</summary>
    public long BusyErrors
    {
        get
        {
            var stopped = Lines.LastOrDefault(l => l.Contains(" database busy error(s) surfaced", StringComparison.Ordinal));
            if (stopped is null)
            {
                // A worker that did not stop cleanly reported nothing: count it as an error rather than as zero.
                return 1;
            }

            var words = stopped[..stopped.IndexOf(" database busy error(s)", StringComparison.Ordinal)].Split(' ');
            return long.Parse(words[^1], CultureInfo.InvariantCulture);
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public static BenchWorker Start(string workerId, string serverDirectory, string databasePath, int concurrency)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark needs to know its own executable."))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "run", "--worker-id", workerId, "--tasks", "noop", "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["CL_SERVER_DIR"] = serverDirectory;
        info.Environment["DATABASE_URL"] = databasePath;
        info.Environment["BROADCAST_TYPE"] = "noop";
        info.Environment["LOG_LEVEL"] = "information";
        info.Environment["WORKER_ENV_FILE"] = null;
        info.Environment["PLUGIN_DIR"] = Path.Combine(serverDirectory, "no-plugins");
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start a benchmark worker.");
        var worker = new BenchWorker(process);
        process.ErrorDataReceived += (_, e) => worker.Add(e.Data);
        process.OutputDataReceived += (_, e) => worker.Add(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return worker;
    }

    public Task WaitStartedAsync(TimeSpan timeout) => _started.Task.WaitAsync(timeout);

    /// <summary>CPU time (user + system) in seconds, from /proc/&lt;pid&gt;/stat.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 (utime, stime) are the 12th and 13th after the command name; clock ticks are 100 Hz on Linux.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Resident set size in MiB, from /proc/&lt;pid&gt;/status.</summary>
    public double RssMiB()
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Stops the worker the way a user would (SIGTERM), waiting for it to drain.</summary>
    public void Stop()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]))
        {
            kill?.WaitForExit();
        }

        if (!_process.WaitForExit(15_000))
        {
            _process.Kill();
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        if (line.Contains(" started (pid", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }
}
