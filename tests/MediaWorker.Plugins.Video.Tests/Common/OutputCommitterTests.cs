using MediaWorker.Plugins.Video.Common;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Common;

public sealed class OutputCommitterTests
{
    [Test]
    public void CommitFile_ReplacesTheDestination_AndLeavesNoStagingFile()
    {
        using var temp = new TempDirectory("mw-commit");
        var scratch = temp.Combine("scratch.bin");
        var destination = temp.Combine("out", "final.bin");
        Directory.CreateDirectory(temp.Combine("out"));
        File.WriteAllText(destination, "old");
        File.WriteAllText(scratch, "new");

        OutputCommitter.CommitFile(scratch, destination);

        Assert.That(File.ReadAllText(destination), Is.EqualTo("new"));
        Assert.That(File.Exists(scratch), Is.False);
        Assert.That(Directory.GetFiles(temp.Combine("out")), Is.EqualTo(new[] { destination }));
    }

    [Test]
    public void CommitFile_WorksAcrossFileSystems()
    {
        // /dev/shm is a tmpfs on Linux, usually another file system than the temp folder.
        var shm = Path.Combine("/dev/shm", $"mw-commit-{Guid.NewGuid():N}");
        Directory.CreateDirectory(shm);
        try
        {
            using var temp = new TempDirectory("mw-commit");
            var scratch = Path.Combine(shm, "a.txt");
            File.WriteAllText(scratch, "across");

            OutputCommitter.CommitFile(scratch, temp.Combine("a.txt"));

            Assert.That(File.ReadAllText(temp.Combine("a.txt")), Is.EqualTo("across"));
            Assert.That(Directory.GetFiles(temp.Path), Has.Length.EqualTo(1));
        }
        finally
        {
            Directory.Delete(shm, recursive: true);
        }
    }

    [Test]
    public void CommitFolder_KeepsRelativePaths_AndMovesTheNamedFilesLast()
    {
        using var temp = new TempDirectory("mw-commit");
        var scratch = temp.Combine("scratch");
        Directory.CreateDirectory(Path.Combine(scratch, "720p"));
        foreach (var file in new[] { "master.m3u8", "720p/index.m3u8", "720p/segment_00000.ts", "720p/segment_00001.ts" })
        {
            File.WriteAllText(Path.Combine(scratch, file), file);
        }

        var committed = OutputCommitter.CommitFolder(scratch, temp.Combine("out"), "720p/index.m3u8", "master.m3u8");

        Assert.That(committed.Select(c => Path.GetRelativePath(temp.Combine("out"), c)), Is.EqualTo(new[]
        {
            "720p/segment_00000.ts", "720p/segment_00001.ts", "720p/index.m3u8", "master.m3u8",
        }));
        Assert.That(File.ReadAllText(temp.Combine("out", "720p", "index.m3u8")), Is.EqualTo("720p/index.m3u8"));
    }
}
