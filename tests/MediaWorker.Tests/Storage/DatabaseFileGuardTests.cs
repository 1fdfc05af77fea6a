using MediaWorker.Storage;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Tests.Storage;

/// <summary>The checks <see cref="DatabaseFileGuard"/> makes, on real files.</summary>
public sealed class DatabaseFileGuardTests
{
    [Test]
    public void AnUntouchedDatabase_HasNoProblem_EvenBeforeItsWalExists()
    {
        using var directory = new TempDirectory("mw-guard");
        var database = directory.Combine("jobs.db");
        File.WriteAllText(database, "");

        var guard = new DatabaseFileGuard(database);
        Assert.That(guard.Check(), Is.Null);

        File.WriteAllText(database + "-wal", "");
        Assert.That(guard.Check(), Is.Null, "a -wal that appears later is taken as it is");
    }

    [Test]
    public void ADeletedOrReplacedFile_IsLost()
    {
        using var directory = new TempDirectory("mw-guard");
        var database = directory.Combine("jobs.db");
        File.WriteAllText(database, "");
        File.WriteAllText(database + "-wal", "");
        var guard = new DatabaseFileGuard(database);
        Assert.That(guard.Check(), Is.Null);

        // Held open, as SQLite holds them: a freed inode number would be reused by the next file at once.
        using var openDatabase = File.OpenRead(database);
        using var openWal = File.OpenRead(database + "-wal");

        File.Delete(database + "-wal");
        Assert.That(guard.Check(), Is.EqualTo(new DatabaseFileProblem(DatabaseFileProblemKind.Deleted, database + "-wal")));

        File.WriteAllText(database + "-wal", "");
        Assert.That(guard.Check()!.Kind, Is.EqualTo(DatabaseFileProblemKind.Replaced), "a new file at the old name is another file");

        File.Delete(database);
        var problem = guard.Check()!;
        Assert.That(problem.IsLost, Is.True);
        Assert.That(problem.Cause, Is.EqualTo(database + " was deleted"));
        Assert.Throws<DatabaseFileException>(guard.ThrowIfUnsafe);
    }

    [Test]
    public async Task AnImmutableFile_IsUnwritable_WithThatCause()
    {
        using var directory = new TempDirectory("mw-guard");
        var database = directory.Combine("jobs.db");
        File.WriteAllText(database, "");
        var guard = new DatabaseFileGuard(database);
        var (exit, _, error) = await ExternalTool.RunAsync("chattr", ["+i", database]);
        if (exit != 0)
        {
            Assert.Ignore($"chattr +i does not work here (needs root and ext4-like inode flags): {error.Trim()}");
        }

        try
        {
            var problem = guard.Check()!;
            Assert.That(problem.Kind, Is.EqualTo(DatabaseFileProblemKind.Unwritable));
            Assert.That(problem.IsLost, Is.False);
            Assert.That(problem.Cause, Does.Contain("immutable (EPERM"));
        }
        finally
        {
            await ExternalTool.RunCheckedAsync("chattr", "-i", database);
        }

        Assert.That(guard.Check(), Is.Null);
    }
}
