using System.Diagnostics;
using MediaWorker.Ffmpeg.Native;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Ffmpeg.Tests.Native;

public sealed class LibCTests
{
    [Test]
    public async Task SigKill_MatchesTheCHeader()
    {
        // Compile a two-line program against <signal.h> and compare its answer with the constant.
        using var temp = new TempDirectory("mw-libc");
        var source = temp.Combine("signal.c");
        await File.WriteAllTextAsync(source, "#include <signal.h>\n#include <stdio.h>\nint main(void) { printf(\"%d\", SIGKILL); return 0; }\n");
        var program = temp.Combine("signal");
        Assert.That(await RunAsync("gcc", source, "-o", program), Is.Empty);

        Assert.That(int.Parse(await RunAsync(program)), Is.EqualTo(LibC.SigKill));
    }

    [Test]
    public void Kill_OfAProcessGroup_ReachesEveryMember()
    {
        using var child = Process.Start(new ProcessStartInfo("setsid", ["sh", "-c", "sleep 60 & exec sleep 60"]) { UseShellExecute = false })!;
        Assert.That(SpinWait.SpinUntil(() => Support.ChildProcesses.InGroup(child.Id).Count == 2, TimeSpan.FromSeconds(5)), Is.True);

        Assert.That(LibC.Kill(-child.Id, LibC.SigKill), Is.Zero);

        Assert.That(child.WaitForExit(5000), Is.True);
        Assert.That(SpinWait.SpinUntil(() => Support.ChildProcesses.InGroup(child.Id).Count == 0, TimeSpan.FromSeconds(5)), Is.True);
    }

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (await output) + (await error);
    }
}
