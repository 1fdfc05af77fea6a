using System.Diagnostics;

namespace MediaWorker.Plugins.Image.Tests.Support;

/// <summary>Runs a command-line tool the tests use to make and inspect files (ImageMagick's CLI, ffmpeg, gcc).</summary>
public static class Tool
{
    /// <summary>ImageMagick 6's convert (/usr/local/bin/convert on this machine is a stand-in, so name the real one).</summary>
    public const string Convert = "/usr/bin/convert-im6.q16";

    public const string Identify = "/usr/bin/identify-im6.q16";

    public static string Run(string executable, params string[] args)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{executable} {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        }

        return stdout;
    }
}
