using System.Diagnostics;

namespace MediaWorker.Testing;

/// <summary>Runs a command-line tool to completion (openssl, gcc, mosquitto_passwd, mosquitto_sub) and returns what it printed.</summary>
public static class ExternalTool
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"'{file}' could not be started.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {string.Join(' ', info.ArgumentList)}' did not finish within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds} s.");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Runs the tool and fails with its output when it exits non-zero.</summary>
    public static async Task<string> RunCheckedAsync(string file, params string[] arguments)
    {
        var (exitCode, output, error) = await RunAsync(file, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' exited with {exitCode}:\n{output}\n{error}");
        }

        return output;
    }
}
