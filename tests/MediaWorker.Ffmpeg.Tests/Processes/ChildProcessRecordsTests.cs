using System.Diagnostics;
using System.Globalization;
using MediaWorker.Ffmpeg.Processes;
using MediaWorker.Ffmpeg.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Ffmpeg.Tests.Processes;

/// <summary>
/// The records that let a worker kill the process groups a dead worker left behind. Real
/// processes throughout: a dead "worker" is a process that has exited, an orphan is a real sleep
/// in a group of its own.
/// </summary>
[NonParallelizable]
public sealed class ChildProcessRecordsTests
{
    private MediaWorker.Testing.TempDirectory _folder = null!;
    private string? _previous;

    [SetUp]
    public void UseAFolderOfItsOwn()
    {
        _folder = new MediaWorker.Testing.TempDirectory("mw-children");
        _previous = Environment.GetEnvironmentVariable(ChildProcessRecords.FolderSetting);
        Environment.SetEnvironmentVariable(ChildProcessRecords.FolderSetting, _folder.Path);
    }

    [TearDown]
    public void Restore()
    {
        Environment.SetEnvironmentVariable(ChildProcessRecords.FolderSetting, _previous);
        _folder.Dispose();
    }

    [Test]
    public async Task ARunningChild_IsRecordedUnderThisWorker_UntilItIsReaped()
    {
        using var cancel = new CancellationTokenSource();
        var run = ProcessRunner.RunAsync(new ProcessRequest("sleep", ["30"]), cancel.Token);

        var records = await WaitForAsync(() => Directory.GetFiles(_folder.Path, "*.child"), r => r.Length == 1);
        var name = Path.GetFileName(records.Single());
        Assert.That(name, Does.StartWith($"{Environment.ProcessId}-"));
        var group = int.Parse(name.Split('-')[2], CultureInfo.InvariantCulture);
        Assert.That(ChildProcesses.GroupOf(group), Is.EqualTo(group), "the child leads its own group");

        await cancel.CancelAsync();
        Assert.CatchAsync<OperationCanceledException>(() => run);
        Assert.That(Directory.GetFiles(_folder.Path, "*.child"), Is.Empty);
    }

    [Test]
    public void TheGroupOfADeadWorker_IsKilled_AndItsRecordRemoved()
    {
        var deadWorker = ExitedProcessId();
        using var orphan = StartInItsOwnGroup();
        try
        {
            var record = Record(deadWorker, 12345, orphan.Id);

            var killed = ChildProcessRecords.KillOrphansOfDeadWorkers();

            Assert.That(killed, Is.EqualTo(1));
            Assert.That(orphan.WaitForExit(5000), Is.True, "the orphan was killed");
            Assert.That(File.Exists(record), Is.False);
        }
        finally
        {
            orphan.Kill();
        }
    }

    [Test]
    public void TheGroupOfALiveWorker_IsLeftAlone()
    {
        using var child = StartInItsOwnGroup();
        var record = Record(Environment.ProcessId, StartTime(Environment.ProcessId), child.Id);
        try
        {
            Assert.That(ChildProcessRecords.KillOrphansOfDeadWorkers(), Is.Zero);
            Assert.That(child.HasExited, Is.False);
            Assert.That(File.Exists(record), Is.True);
        }
        finally
        {
            child.Kill();
        }
    }

    [Test]
    public void ARecordWhoseGroupIdNowBelongsToAnotherProcess_KillsNothing()
    {
        // The recorded leader started at another time: the pid was reused, so it is not the orphan.
        using var stranger = StartInItsOwnGroup();
        var record = Record(ExitedProcessId(), 12345, stranger.Id, leaderStart: StartTime(stranger.Id) + 1);
        try
        {
            Assert.That(ChildProcessRecords.KillOrphansOfDeadWorkers(), Is.Zero);
            Assert.That(stranger.HasExited, Is.False);
            Assert.That(File.Exists(record), Is.False, "the stale record is removed");
        }
        finally
        {
            stranger.Kill();
        }
    }

    private string Record(int worker, long workerStart, int group, long? leaderStart = null)
    {
        var path = Path.Combine(_folder.Path, string.Create(CultureInfo.InvariantCulture, $"{worker}-{workerStart}-{group}-{leaderStart ?? StartTime(group)}.child"));
        File.WriteAllBytes(path, []);
        return path;
    }

    private static int ExitedProcessId()
    {
        using var process = Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    private static Process StartInItsOwnGroup()
    {
        var info = new ProcessStartInfo("setsid", ["sleep", "60"]) { UseShellExecute = false };
        var process = Process.Start(info)!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ChildProcesses.GroupOf(process.Id) != process.Id && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10); // Until setsid has made it a group leader.
        }

        return process;
    }

    private static long StartTime(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");
        return long.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[19], CultureInfo.InvariantCulture);
    }

    private static async Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var value = read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            value = read();
        }

        return value;
    }
}
