using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MediaWorker.Testing;

namespace MediaWorker.Tests.Support;

/// <summary>
/// A real Debian <c>mosquitto</c> for one test: a free loopback port, persistence off, a generated
/// config file, optional users (password file) and an optional TLS listener. Stop and start it
/// again on the same port to play a broker restart.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("mw-broker");
    private readonly ConcurrentQueue<string> _log = new();
    private readonly string _configPath;
    private Process? _process;

    private MosquittoBroker(int port, TestCertificateAuthority? tls)
    {
        Port = port;
        Tls = tls;
        _configPath = _directory.Combine("mosquitto.conf");
    }

    public int Port { get; }

    public TestCertificateAuthority? Tls { get; }

    /// <summary>The MQTT_URL a worker uses for this broker.</summary>
    public string Url => Tls is null ? $"mqtt://127.0.0.1:{Port}" : $"mqtts://localhost:{Port}";

    /// <summary>The host name to connect to (the TLS certificate names localhost).</summary>
    public string Host => Tls is null ? "127.0.0.1" : "localhost";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The user and password mosquitto_sub logs in with when the broker requires one.</summary>
    public (string User, string Password)? SubscriberCredentials { get; private set; }

    /// <summary>Everything the broker logged, one line each (connections, refusals, disconnections).</summary>
    public IReadOnlyList<string> Log => _log.ToArray();

    /// <summary>How many TCP connections the broker has accepted so far.</summary>
    public int ConnectionCount => _log.Count(l => l.Contains("New connection from", StringComparison.Ordinal));

    public static async Task<MosquittoBroker> StartAsync(IReadOnlyDictionary<string, string>? users = null, TestCertificateAuthority? tls = null)
    {
        var broker = new MosquittoBroker(FreePort.Next(), tls);
        await broker.WriteConfigAsync(users);
        await broker.StartAgainAsync();
        return broker;
    }

    /// <summary>Starts the broker process (again) on the same port and waits until it listens.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The broker is already running.");
        }

        var info = new ProcessStartInfo("mosquitto") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(_configPath);
        var process = new Process { StartInfo = info };
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            _log.Enqueue(e.Data);
            if (e.Data.Contains(" running", StringComparison.Ordinal))
            {
                running.TrySetResult();
            }
        };
        process.ErrorDataReceived += onLine;
        process.OutputDataReceived += onLine;
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;

        var finished = await Task.WhenAny(running.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(10)));
        if (finished != running.Task)
        {
            throw new InvalidOperationException($"mosquitto did not start on port {Port}:\n{string.Join('\n', _log)}");
        }
    }

    /// <summary>Kills the broker (SIGKILL, like a crash or a pulled plug): every client's link drops at once.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _directory.Dispose();
    }

    private async Task WriteConfigAsync(IReadOnlyDictionary<string, string>? users)
    {
        var lines = new List<string>
        {
            $"listener {Port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
            "persistence false",
            "max_queued_messages 0", // a subscriber that falls behind a burst of events must not lose any (the default drops past 1,000)
            "user root", // as root, mosquitto would otherwise switch to the 'mosquitto' user and lose access to this folder
            "log_dest stderr", // stderr is unbuffered: lines arrive as they happen
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            "connection_messages true",
        };
        if (users is { Count: > 0 })
        {
            var passwordFile = _directory.Combine("passwords");
            await File.WriteAllTextAsync(passwordFile, string.Empty);
            foreach (var (user, password) in users)
            {
                await ExternalTool.RunCheckedAsync("mosquitto_passwd", "-b", passwordFile, user, password);
            }

            SubscriberCredentials = (users.First().Key, users.First().Value);
            lines.Add("allow_anonymous false");
            lines.Add($"password_file {passwordFile}");
        }
        else
        {
            lines.Add("allow_anonymous true");
        }

        if (Tls is not null)
        {
            lines.Add($"cafile {Tls.CaCertificate}");
            lines.Add($"certfile {Tls.ServerCertificate}");
            lines.Add($"keyfile {Tls.ServerKey}");
        }

        await File.WriteAllLinesAsync(_configPath, lines);
    }
}
