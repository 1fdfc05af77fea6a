using System.Diagnostics;
using MediaWorker.Ffmpeg.Processes;
using MediaWorker.Ffmpeg.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Ffmpeg.Tests.Processes;

public sealed class ProcessRunnerTests
{
    [Test]
    public async Task RunAsync_PassesEachArgumentVerbatim_WithoutAShell()
    {
        string[] arguments = ["a b", "'quoted'", "$(touch /tmp/pwned)", "semi;colon", "*", ""];
        var output = new MemoryStream();

        var result = await ProcessRunner.RunAsync(
            new ProcessRequest("printf", ["%s|", .. arguments]) { StandardOutput = (s, ct) => s.CopyToAsync(output, ct) },
            CancellationToken.None);

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(System.Text.Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo(string.Join("", arguments.Select(a => a + "|"))));
    }

    [Test]
    public async Task RunAsync_DrainsBothPipes_WhenTheChildWritesMoreThanAPipeHolds()
    {
        // 4 MB on each pipe: a runner that read only one of them would deadlock here.
        var request = new ProcessRequest("sh", ["-c", "head -c 4000000 /dev/zero; head -c 4000000 /dev/zero | tr '\\0' 'e' | fold -w 100 >&2; printf '\\nlast\\n' >&2"])
        {
            Timeout = TimeSpan.FromSeconds(30),
            StandardErrorTailLines = 3,
        };

        var result = await ProcessRunner.RunAsync(request, CancellationToken.None);

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.StandardErrorTail, Has.Count.EqualTo(3));
        Assert.That(result.StandardErrorTail[^1], Is.EqualTo("last"));
    }

    [Test]
    public async Task RunAsync_ReturnsTheExitCode_WhenTheChildFails()
    {
        var result = await ProcessRunner.RunAsync(new ProcessRequest("sh", ["-c", "echo boom >&2; exit 3"]), CancellationToken.None);

        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.StandardErrorTail, Is.EqualTo(new[] { "boom" }));
    }

    [Test]
    public async Task RunAsync_KillsTheChild_WhenTheOutputConsumerFails()
    {
        var pid = 0;
        var request = new ProcessRequest("sh", ["-c", "echo $$; sleep 30"])
        {
            StandardOutput = async (s, ct) =>
            {
                using var reader = new StreamReader(s);
                pid = int.Parse((await reader.ReadLineAsync(ct))!);
                throw new InvalidDataException("seen enough");
            },
        };

        Assert.ThrowsAsync<InvalidDataException>(() => ProcessRunner.RunAsync(request, CancellationToken.None));

        Assert.That(pid, Is.Not.Zero);
        Assert.That(ChildProcesses.IsAlive(pid), Is.False, "a failing output consumer kills the child");
    }

    [Test]
    public async Task RunAsync_KillsTheWholeProcessGroup_WhenCancelled()
    {
        using var cts = new CancellationTokenSource();
        var groupId = 0;
        var request = new ProcessRequest("sh", ["-c", "sleep 60 & sleep 60 & echo $$; wait"])
        {
            StandardOutput = async (s, ct) =>
            {
                using var reader = new StreamReader(s);
                groupId = int.Parse((await reader.ReadLineAsync(ct))!);
                Assert.That(ChildProcesses.GroupOf(groupId), Is.EqualTo(groupId), "the child leads its own group");
                Assert.That(ChildProcesses.InGroup(groupId), Has.Count.EqualTo(3), "sh and its two sleeps");
                await cts.CancelAsync();
                await Task.Delay(Timeout.Infinite, ct);
            },
        };

        var stopwatch = Stopwatch.StartNew();
        Assert.CatchAsync<OperationCanceledException>(() => ProcessRunner.RunAsync(request, cts.Token));

        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(ChildProcesses.InGroup(groupId), Is.Empty, "the grandchildren die with the child");
        await Task.CompletedTask;
    }

    [Test]
    public void RunAsync_KillsTheChildAndThrows_WhenTheTimeLimitPasses()
    {
        var stopwatch = Stopwatch.StartNew();
        var ex = Assert.ThrowsAsync<ProcessTimeoutException>(() => ProcessRunner.RunAsync(
            new ProcessRequest("sh", ["-c", "echo started >&2; exec sleep 60"]) { Timeout = TimeSpan.FromMilliseconds(300) },
            CancellationToken.None));

        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(ex!.Limit, Is.EqualTo(TimeSpan.FromMilliseconds(300)));
        Assert.That(ex.StandardErrorTail, Is.EqualTo(new[] { "started" }));
        Assert.That(ChildProcesses.Named("sleep"), Is.Empty);
    }

    [Test]
    public void RunAsync_ThrowsFileNotFound_ForAMissingProgram()
    {
        var ex = Assert.ThrowsAsync<FileNotFoundException>(() => ProcessRunner.RunAsync(new ProcessRequest("no-such-program-mw", []), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'no-such-program-mw' was not found on PATH"));
    }

    [Test]
    public async Task Interrupt_SendsSigint_AndTheRunReturnsNormally_MarkedInterrupted()
    {
        using var interrupt = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        // The child reports SIGINT by exiting 130 from its handler: the signal reached it. Not a
        // shell trap: a shell started with SIGINT ignored (any run from a background job, such as
        // `./run_tests.sh &`) may not trap it, while perl's handler, like ffmpeg's, is installed
        // whatever the inherited disposition.
        var result = await ProcessRunner.RunAsync(
            new ProcessRequest("perl", ["-e", "$SIG{INT} = sub { exit 130 }; select(undef, undef, undef, 0.05) while 1;"]) { Interrupt = interrupt.Token },
            CancellationToken.None);

        Assert.That(result.Interrupted, Is.True);
        Assert.That(result.ExitCode, Is.EqualTo(130));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task Interrupt_KillsAChildThatIgnoresSigint_AfterTheGrace()
    {
        using var interrupt = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        var result = await ProcessRunner.RunAsync(
            new ProcessRequest("sh", ["-c", "trap '' INT; sleep 30"]) { Interrupt = interrupt.Token, InterruptGrace = TimeSpan.FromMilliseconds(300) },
            CancellationToken.None);

        Assert.That(result.Interrupted, Is.True);
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "killed after the grace, not after 30 s");
    }
}
