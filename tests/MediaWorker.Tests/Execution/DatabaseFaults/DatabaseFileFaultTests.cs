using System.Globalization;
using Dapper;
using MediaWorker.Configuration;
using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Execution.DatabaseFaults;

/// <summary>
/// Issue 11, items 2 and 3: a running daemon process whose database file is deleted, made
/// immutable or put on a filesystem that turns read-only, with real file operations.
/// </summary>
/// <remarks>
/// The test process must not touch the database while it cannot be written: its own connection
/// maps the same <c>-shm</c> file and would get the SIGBUS itself. Connections are opened only
/// before the fault and after it is lifted.
/// </remarks>
[Parallelizable(ParallelScope.Children)]
public sealed class DatabaseFileFaultTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(30);
    private const string GoneLine = "The job database is gone";
    private const string UnwritableLine = "The job database cannot be written";

    [Test]
    public async Task DeletedDatabase_IsNoticed_LoggedOnce_AndTheWorkerExitsNonZero_WithoutWritingTheDeletedFile()
    {
        using var env = new DaemonEnvironment();
        using var worker = env.StartWorker("w-deleted", "--poll-interval", "0.2");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);
        string runningId;
        using (var db = env.Open())
        {
            runningId = JobSubmitter.Submit(db, new NewJob("sleep", "{\"seconds\": 3}"), Now()).JobId;
            Assert.That(await DaemonEnvironment.EventuallyAsync(() => JobAdministration.Find(db, runningId)!.Status == JobStatus.Processing, TimeSpan.FromSeconds(20)), Is.True, worker.OutputText);
        }

        // A second name for the old inodes, to read afterwards what the worker wrote into the "deleted" file.
        var kept = Path.Combine(env.ServerDirectory, "kept.db");
        await ExternalTool.RunCheckedAsync("ln", env.DatabasePath, kept);
        await ExternalTool.RunCheckedAsync("ln", env.DatabasePath + "-wal", kept + "-wal");
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(env.DatabasePath + suffix);
        }

        var (submitExit, submitted) = await env.CliAsync("submit", "noop");
        Assert.That(submitExit, Is.Zero, submitted);
        var freshId = submitted.Trim().Split('\n').Last();

        Assert.That(await worker.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.True, "the worker must notice the deleted database and stop:\n" + worker.OutputText);
        Assert.That(worker.ExitCode, Is.EqualTo(1), worker.OutputText);
        Assert.That(worker.Output.Count(l => l.Contains(GoneLine, StringComparison.Ordinal)), Is.EqualTo(1), worker.OutputText);
        // Which of the two the worker reports depends on whether it looked before or after the
        // submit above created a new file at the path; both name the path and stop the worker.
        Assert.That(worker.OutputText, Does.Contain(env.DatabasePath + " was deleted").Or.Contain(env.DatabasePath + " was replaced by another file"));

        using (var old = new SqliteConnectionFactory(StoreSettings.ForPath(kept)).Open())
        {
            var row = JobAdministration.Find(old, runningId)!;
            Assert.That(row.Status, Is.EqualTo(JobStatus.Processing), "nothing may be written into the deleted file: " + row);
        }

        // What a supervisor does next: start the worker again, which serves the new file.
        using var restarted = env.StartWorker("w-deleted");
        using var fresh = env.Open();
        Assert.That(await DaemonEnvironment.EventuallyAsync(() => JobAdministration.Find(fresh, freshId)?.Status == JobStatus.Completed, TimeSpan.FromSeconds(30)), Is.True, restarted.OutputText);
    }

    [Test]
    public async Task ImmutableDatabaseFiles_NoSignal_OneLineWithTheCause_NoClaims_ThenClaimingResumes()
    {
        using var env = new DaemonEnvironment();
        await RequireChattrAsync(env.ServerDirectory);
        env.Environment["DATABASE_CHECKPOINT_INTERVAL"] = "1";
        using var worker = env.StartWorker("w-immutable", "--concurrency", "2");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);
        var ids = SubmitSleeps(env, 40, 0.2);
        await Task.Delay(500);

        var files = new[] { env.DatabasePath, env.DatabasePath + "-wal", env.DatabasePath + "-shm" };
        await ExternalTool.RunCheckedAsync("chattr", ["+i", .. files]);
        try
        {
            // Before the fix the next checkpoint (every second here) died of SIGBUS: exit code 135.
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.That(worker.HasExited, Is.False, $"the worker died (exit {(worker.HasExited ? worker.ExitCode : 0)}):\n{worker.OutputText}");
            Assert.That(await worker.WaitForOutputAsync(UnwritableLine, TimeSpan.FromSeconds(20)), Is.True, worker.OutputText);
            Assert.That(worker.Output.Count(l => l.Contains(UnwritableLine, StringComparison.Ordinal)), Is.EqualTo(1), worker.OutputText);
            Assert.That(worker.OutputText, Does.Contain("immutable (EPERM"));
            Assert.That(worker.OutputText, Does.Not.Contain("Database maintenance").And.Not.Contain("Claiming jobs failed").And.Not.Contain("Could not update running jobs"));
        }
        finally
        {
            await ExternalTool.RunCheckedAsync("chattr", ["-i", .. files]);
        }

        Assert.That(await worker.WaitForOutputAsync("claiming resumed", TimeSpan.FromSeconds(30)), Is.True, worker.OutputText);
        using var db = env.Open();
        Assert.That(
            await DaemonEnvironment.EventuallyAsync(() => ids.All(id => JobAdministration.Find(db, id)!.Status == JobStatus.Completed), TimeSpan.FromSeconds(90)),
            Is.True,
            string.Join(", ", db.Query<(string, long)>("SELECT status, COUNT(*) FROM jobs GROUP BY 1")) + "\n" + worker.OutputText);
        worker.Terminate();
        Assert.That(await worker.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.True, worker.OutputText);
        Assert.That(worker.ExitCode, Is.Zero, worker.OutputText);
    }

    [Test]
    public async Task ImmutableDatabase_StopsClaiming_WhileItLasts()
    {
        using var env = new DaemonEnvironment();
        await RequireChattrAsync(env.ServerDirectory);
        using var worker = env.StartWorker("w-noclaim", "--poll-interval", "0.1");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);
        using (var db = env.Open())
        {
            // Let the worker create its -wal and -shm before they are frozen.
            var first = JobSubmitter.Submit(db, new NewJob("noop", "{}"), Now()).JobId;
            Assert.That(await DaemonEnvironment.EventuallyAsync(() => JobAdministration.Find(db, first)!.Status == JobStatus.Completed, TimeSpan.FromSeconds(20)), Is.True);
        }

        await ExternalTool.RunCheckedAsync("chattr", "+i", env.DatabasePath + "-shm");
        try
        {
            Assert.That(await worker.WaitForOutputAsync(UnwritableLine, TimeSpan.FromSeconds(20)), Is.True, "an idle worker notices at its next claim:\n" + worker.OutputText);
        }
        finally
        {
            await ExternalTool.RunCheckedAsync("chattr", "-i", env.DatabasePath + "-shm");
        }

        Assert.That(await worker.WaitForOutputAsync("claiming resumed", TimeSpan.FromSeconds(30)), Is.True, worker.OutputText);
        Assert.That(worker.HasExited, Is.False, worker.OutputText);
    }

    [Test]
    public async Task PermissionsTakenAway_FromANonRootWorker_OneLineWithTheCause_ThenClaimingResumes()
    {
        SecondUser.Require();
        using var env = new DaemonEnvironment();
        await SecondUser.GiveAsync(env.ServerDirectory);
        using var worker = SecondUser.StartWorker(env, "w-permissions", "--poll-interval", "0.1");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);
        using (var db = env.Open())
        {
            var first = JobSubmitter.Submit(db, new NewJob("noop", "{}"), Now()).JobId;
            Assert.That(await DaemonEnvironment.EventuallyAsync(() => JobAdministration.Find(db, first)!.Status == JobStatus.Completed, TimeSpan.FromSeconds(20)), Is.True, worker.OutputText);
        }

        var files = new[] { env.DatabasePath, env.DatabasePath + "-wal", env.DatabasePath + "-shm" };
        await ExternalTool.RunCheckedAsync("chmod", ["0444", .. files]);
        try
        {
            Assert.That(await worker.WaitForOutputAsync(UnwritableLine, TimeSpan.FromSeconds(20)), Is.True, worker.OutputText);
            Assert.That(worker.OutputText, Does.Contain("permission denied (EACCES"));
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.That(worker.Output.Count(l => l.Contains(UnwritableLine, StringComparison.Ordinal)), Is.EqualTo(1), worker.OutputText);
        }
        finally
        {
            await ExternalTool.RunCheckedAsync("chmod", ["0644", .. files]);
        }

        Assert.That(await worker.WaitForOutputAsync("claiming resumed", TimeSpan.FromSeconds(30)), Is.True, worker.OutputText);
        Assert.That(worker.HasExited, Is.False, worker.OutputText);
    }

    [Test]
    public async Task ReadOnlyFilesystem_NoSignal_OneLineWithTheCause_AndACleanExit()
    {
        if (Environment.UserName != "root" || !File.Exists("/usr/sbin/mkfs.ext4"))
        {
            Assert.Ignore("Needs root and mkfs.ext4 to loop-mount a filesystem and turn it read-only.");
        }

        using var mount = await LoopFilesystem.MountAsync();
        using var env = new DaemonEnvironment();
        var database = Path.Combine(mount.Path, "media_store.db");
        env.Environment["DATABASE_URL"] = "sqlite:///" + database.TrimStart('/');
        env.Environment["DATABASE_CHECKPOINT_INTERVAL"] = "1";
        using var worker = env.StartWorker("w-readonly", "--concurrency", "2");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);
        using (var db = new SqliteConnectionFactory(StoreSettings.ForPath(database)).Open())
        {
            JobSubmitter.InsertMany(db, Enumerable.Range(0, 40).Select(_ => new NewJob("sleep", "{\"seconds\": 0.2}")), Now());
        }

        await Task.Delay(500);
        // A read-only remount is refused while files are open for writing (EBUSY); what turns a
        // filesystem read-only under a running process is an error with errors=remount-ro, which
        // the abort option triggers.
        await ExternalTool.RunCheckedAsync("mount", "-o", "remount,abort", mount.Path);

        Assert.That(await worker.WaitForOutputAsync(UnwritableLine, TimeSpan.FromSeconds(20)), Is.True, worker.OutputText);
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.That(worker.HasExited, Is.False, worker.OutputText);
        Assert.That(worker.Output.Count(l => l.Contains(UnwritableLine, StringComparison.Ordinal)), Is.EqualTo(1), worker.OutputText);
        Assert.That(worker.OutputText, Does.Not.Contain("Database maintenance").And.Not.Contain("Claiming jobs failed").And.Not.Contain("Could not update running jobs"));

        worker.Terminate();
        Assert.That(await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.True, worker.OutputText);
        Assert.That(worker.ExitCode, Is.Zero, "a clean exit, not a signal:\n" + worker.OutputText);
    }

    private static List<string> SubmitSleeps(DaemonEnvironment env, int count, double seconds)
    {
        using var db = env.Open();
        var jobs = Enumerable.Range(0, count)
            .Select(_ => new NewJob("sleep", string.Create(CultureInfo.InvariantCulture, $"{{\"seconds\": {seconds}}}")) { MaxRetries = 10 })
            .ToList();
        JobSubmitter.InsertMany(db, jobs, Now());
        return [.. jobs.Select(j => j.JobId)];
    }

    /// <summary>chattr needs root (CAP_LINUX_IMMUTABLE) and a filesystem with inode flags (ext4, xfs, btrfs; not tmpfs or overlayfs).</summary>
    private static async Task RequireChattrAsync(string directory)
    {
        var probe = Path.Combine(directory, "chattr-probe");
        await File.WriteAllTextAsync(probe, "");
        var (exit, _, error) = await ExternalTool.RunAsync("chattr", ["+i", probe]);
        if (exit != 0)
        {
            File.Delete(probe);
            Assert.Ignore($"chattr +i does not work here (needs root and ext4-like inode flags): {error.Trim()}");
        }

        await ExternalTool.RunCheckedAsync("chattr", "-i", probe);
        File.Delete(probe);
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
